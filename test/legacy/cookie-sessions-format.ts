import { createCipheriv, randomBytes } from 'node:crypto';

/**
 * A cookie value as auth0 cookie-sessions 1.0.x wrote it: AES-256-GCM under the raw secret with a
 * random 16-byte IV, plaintext `{"d":data,"t":time}`, value `hex(ciphertext)$hex(iv)$hex(tag)`.
 * This is the value the old middleware handed to Express's res.cookie; see {@link asSentByBrowser}.
 */
export function writeCookieSessionsValue(
  secret: string | Buffer,
  data: unknown,
  time: number,
  iv: Buffer = randomBytes(16),
): string {
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(secret), iv);
  const message = JSON.stringify({ d: data, t: time });
  const ciphertext = cipher.update(message, 'utf8', 'hex') + cipher.final('hex');
  return [ciphertext, iv.toString('hex'), cipher.getAuthTag().toString('hex')].join('$');
}

/** The value as it travels in the Cookie header: Express's res.cookie percent-encoded it. */
export const asSentByBrowser = (value: string): string => encodeURIComponent(value);
