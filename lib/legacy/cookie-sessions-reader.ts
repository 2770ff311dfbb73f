import { createDecipheriv } from 'node:crypto';
import {
  MAX_LEGACY_VALUE_LENGTH,
  parseJsonObject,
  type CookieGetter,
  type LegacyCookie,
  type LegacyCookieScope,
} from './legacy-cookie.js';

/** Options of {@link CookieSessionsReader}: the old middleware's own `secret`, `name`, `timeout`. */
export interface CookieSessionsReaderOptions {
  /** The old app's secret: its raw AES-256 key, 32 bytes (a string counts as its UTF-8 bytes). */
  readonly secret: string | Buffer;
  /**
   * The old cookie's name.
   * @default '_node'
   */
  readonly name?: string;
  /**
   * How long (ms) after its time stamp the old library accepted a cookie.
   * @default 86400000 (24 hours)
   */
  readonly timeout?: number;
  /** Where the old cookie lives (the old app's `path` and `domain`; path '/' by default). */
  readonly scope?: Partial<LegacyCookieScope>;
}

export const DEFAULT_COOKIE_SESSIONS_TIMEOUT = 86_400_000;
const KEY_LENGTH = 32;
const IV_HEX_LENGTH = 32;
const TAG_HEX_LENGTH = 32;
/** A time stamp this far ahead of our clock is still accepted (the old servers' clocks drift). */
const CLOCK_SKEW_MS = 60_000;
const HEX = /^[0-9a-f]*$/i;

/**
 * Reads the sessions that auth0 cookie-sessions 1.0.x wrote: `hex(ciphertext)$hex(iv)$hex(tag)`,
 * AES-256-GCM under the raw secret, plaintext `{ d: data, t: ms }`, accepted until `t + timeout`.
 * The value is taken as the browser sends it (`$` as `%24`) or already percent-decoded.
 */
export class CookieSessionsReader {
  /** The cookie a session of this format lives in: `[name]`. */
  readonly names: readonly string[];
  readonly scope: LegacyCookieScope;
  readonly #name: string;
  readonly #timeout: number;
  // The key is held where neither util.inspect nor JSON.stringify can reach it.
  readonly #key: Buffer;

  constructor(options: CookieSessionsReaderOptions) {
    const key = Buffer.from(options.secret);
    if (key.length !== KEY_LENGTH) {
      throw new RangeError(`CookieSessionsReader needs a ${KEY_LENGTH}-byte secret`);
    }
    this.#key = key;
    this.#name = options.name ?? '_node';
    this.#timeout = options.timeout ?? DEFAULT_COOKIE_SESSIONS_TIMEOUT;
    this.names = Object.freeze([this.#name]);
    this.scope = Object.freeze({ path: '/', ...options.scope });
  }

  /** The session the request's cookie carries, or `undefined` (never throws). */
  read(get: CookieGetter, now: number): LegacyCookie | undefined {
    try {
      const value = get(this.#name);
      if (typeof value !== 'string' || value.length > MAX_LEGACY_VALUE_LENGTH) return undefined;
      const plain = this.#decrypt(value);
      if (plain === undefined) return undefined;
      const cookie = parseJsonObject(plain);
      if (cookie === undefined) return undefined;
      const { d: data, t: time } = cookie;
      if (typeof time !== 'number' || !Number.isFinite(time)) return undefined;
      // As the old library: valid while t + timeout is still ahead of the clock.
      if (time + this.#timeout <= now || time > now + CLOCK_SKEW_MS) return undefined;
      if (data === null || typeof data !== 'object' || Array.isArray(data)) return undefined;
      return { data: data as Record<string, unknown> };
    } catch {
      return undefined;
    }
  }

  /** The plaintext of a well-formed value whose tag verifies: one decryption at most. */
  #decrypt(value: string): string | undefined {
    // Express's res.cookie sent the value percent-encoded, '$' as '%24'; cookie-parser decoded it.
    // Hex holds no other character that encoding changes, so '%24' is the only escape to undo.
    const parts = value.split(/\$|%24/i);
    if (parts.length !== 3) return undefined;
    const [ciphertext, iv, tag] = parts;
    if (ciphertext.length === 0 || ciphertext.length % 2 !== 0) return undefined;
    if (iv.length !== IV_HEX_LENGTH || tag.length !== TAG_HEX_LENGTH) return undefined;
    if (!HEX.test(ciphertext) || !HEX.test(iv) || !HEX.test(tag)) return undefined;
    const decipher = createDecipheriv('aes-256-gcm', this.#key, Buffer.from(iv, 'hex'), {
      authTagLength: 16,
    });
    decipher.setAuthTag(Buffer.from(tag, 'hex'));
    try {
      const plain = Buffer.concat([
        decipher.update(Buffer.from(ciphertext, 'hex')),
        decipher.final(),
      ]);
      return plain.toString('utf8');
    } catch {
      return undefined;
    }
  }
}
