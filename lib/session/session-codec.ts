import type { CookieSessionOptions } from '../options/cookie-session-options.interface.js';
import { resolveOptions } from '../options/resolve-options.js';
import { SessionSealer, newSessionTimes, toJson } from './session-sealer.js';

/**
 * A codec's options are the module's, so that the module's can be passed as they are. It reads
 * `secret` or `keys`, `name`, `maxAge` (or `timeout`), `absoluteTimeout`, `maxChunks` and
 * `expires` (and `secure`, `path` and `domain` for the default name); the others are checked
 * and ignored.
 */
export type SessionCodecOptions = Partial<CookieSessionOptions>;

/**
 * Seals session data into a cookie value and opens it again, exactly as the module does:
 * AES-256-GCM with a fresh random 96-bit IV per seal, keys derived from the secrets with
 * HKDF-SHA256, the format version, key hint, times and cookie name authenticated. It knows
 * nothing of HTTP or Nest: use it in scripts, tests or other frameworks. Every option is checked
 * as the module checks it; those that shape a seal apply as in the module (`expires`, and
 * `secure`, `path` and `domain` through the default cookie `name`); the others are ignored.
 *
 * @example
 * const codec = new SessionCodec({ secret: process.env.SESSION_SECRET! });
 * const value = codec.seal({ userId: 42 });
 * codec.open(value); // { userId: 42 }
 * codec.open(value.slice(1)); // undefined
 */
export class SessionCodec {
  /** The cookie name seals are bound to (a seal moved to another name does not open). */
  readonly name: string;
  /** Lifetime of a seal in milliseconds. */
  readonly maxAge: number;
  readonly #sealer: SessionSealer;
  readonly #expires: Date | undefined;

  /** @throws CookieSessionOptionsError naming the option when the options are invalid. */
  constructor(options: SessionCodecOptions) {
    const { options: resolved, secrets } = resolveOptions(options);
    this.name = resolved.name;
    this.maxAge = resolved.maxAge;
    this.#expires = resolved.expires;
    this.#sealer = new SessionSealer(secrets, resolved);
  }

  /**
   * Seals `data` as a new session: created and issued now, expiring after `maxAge` (or at
   * `expires`), never validated: the module runs its `validate` on the first request that
   * carries it, whatever `validateInterval` says, so a seal made outside a request cannot skip a
   * revocation.
   * @throws TypeError when `data` is not a plain object or cannot be turned into JSON.
   * @throws SessionTooLargeError when the seal would not fit in `maxChunks` cookies (`open`
   * would refuse it).
   */
  seal(data: object, now = Date.now()): string {
    return this.#sealer.seal(toJson(data), newSessionTimes(now, this.maxAge, this.#expires));
  }

  /**
   * Opens a value made by `seal` (the chunks joined). Anything else — tampered, truncated,
   * sealed under another cookie name or an unknown key, expired, from the future, garbage —
   * gives `undefined`. Never throws.
   */
  open<T extends object = Record<string, unknown>>(
    value: unknown,
    now = Date.now(),
  ): T | undefined {
    if (typeof value !== 'string') return undefined;
    return this.#sealer.open(value, now)?.data as T | undefined;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `SessionCodec { name: ${JSON.stringify(this.name)} }`;
  }

  toJSON(): object {
    return { name: this.name };
  }
}
