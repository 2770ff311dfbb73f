// The floor of the codec and bounds benches: what anyone would write with node:crypto alone
// (AES-256-GCM, a random IV, no timestamps, no additional data).
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** The floor: what anyone would write with node:crypto alone (no timestamps, no AAD). */
export function floor() {
  const key = randomBytes(32);
  return {
    seal(data) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(JSON.stringify(data), 'utf8'), cipher.final()]);
      return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
    },
    open(value) {
      const bytes = Buffer.from(value, 'base64url');
      const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12));
      decipher.setAuthTag(bytes.subarray(bytes.length - 16));
      const plain = Buffer.concat([decipher.update(bytes.subarray(12, -16)), decipher.final()]);
      return JSON.parse(plain.toString('utf8'));
    },
  };
}
