import { createHmac, timingSafeEqual } from 'node:crypto';
import {
  MAX_LEGACY_VALUE_LENGTH,
  parseJsonObject,
  type CookieGetter,
  type LegacyCookie,
  type LegacyCookieScope,
} from './legacy-cookie.js';

/** Options of {@link CookieSessionReader}: the old middleware's own `keys` and `name`. */
export interface CookieSessionReaderOptions {
  /** The keys the old app signed with (its Keygrip ring, newest first). */
  readonly keys: readonly (string | Buffer)[];
  /**
   * The old cookie's name.
   * @default 'session' (cookie-session 2.x; 1.x used 'express:sess')
   */
  readonly name?: string;
  /** Where the old cookies live (the old app's `path` and `domain`; path '/' by default). */
  readonly scope?: Partial<LegacyCookieScope>;
}

/** Length of a Keygrip HMAC-SHA1 signature: 20 bytes in unpadded base64. */
const SIGNATURE_LENGTH = 27;

/**
 * Reads the sessions that expressjs/cookie-session (1.x and 2.x) wrote: cookie `name` holds
 * base64 JSON, cookie `name.sig` the Keygrip signature (HMAC-SHA1, URL-safe base64 without
 * padding) of `name=value` under one of the keys. Unsigned cookies are never read.
 */
export class CookieSessionReader {
  /** The cookies a session of this format lives in: `[name, name.sig]`. */
  readonly names: readonly string[];
  readonly scope: LegacyCookieScope;
  readonly #name: string;
  // Keys are held where neither util.inspect nor JSON.stringify can reach them.
  readonly #keys: readonly Buffer[];

  constructor(options: CookieSessionReaderOptions) {
    const name = options.name ?? 'session';
    if (options.keys.length === 0)
      throw new TypeError('CookieSessionReader needs at least one key');
    this.#name = name;
    // Copies, taken as Keygrip used them: a string key is HMAC'ed as its UTF-8 bytes.
    this.#keys = options.keys.map((key) => Buffer.from(key));
    this.names = Object.freeze([name, `${name}.sig`]);
    this.scope = Object.freeze({ path: '/', ...options.scope });
  }

  /** The session the request's cookies carry, or `undefined` (never throws). */
  read(get: CookieGetter): LegacyCookie | undefined {
    try {
      const value = get(this.#name);
      const signature = get(this.names[1]);
      if (typeof value !== 'string' || typeof signature !== 'string') return undefined;
      if (value.length === 0 || value.length > MAX_LEGACY_VALUE_LENGTH) return undefined;
      if (!this.#verify(`${this.#name}=${value}`, signature)) return undefined;
      const data = decode(value);
      return data === undefined ? undefined : { data };
    } catch {
      return undefined;
    }
  }

  /** Whether `signature` signs `payload` under any key; every key is tried, whatever matched. */
  #verify(payload: string, signature: string): boolean {
    if (signature.length !== SIGNATURE_LENGTH) return false;
    // UTF-8: a non-ASCII character makes the buffer longer, so only ASCII spellings compare.
    const given = Buffer.from(signature, 'utf8');
    if (given.length !== SIGNATURE_LENGTH) return false;
    let matched = false;
    for (const key of this.#keys) {
      // Node's base64url digest is Keygrip's spelling: '/'→'_', '+'→'-', no '='.
      const expected = Buffer.from(createHmac('sha1', key).update(payload).digest('base64url'));
      if (timingSafeEqual(expected, given)) matched = true;
    }
    return matched;
  }
}

/**
 * The session object of a signed value. cookie-session wrote standard, padded base64: any other
 * spelling was not written by it and is refused.
 */
function decode(value: string): Record<string, unknown> | undefined {
  const bytes = Buffer.from(value, 'base64');
  if (bytes.toString('base64') !== value) return undefined;
  return parseJsonObject(bytes.toString('utf8'));
}
