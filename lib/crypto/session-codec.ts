import { createCipheriv, createDecipheriv } from 'node:crypto';
import type { CookieSessionOptions } from '../options/cookie-session-options.interface.js';
import { RESOLVED, resolveOptions, type ResolvedOptions } from '../options/resolve-options.js';
import { IvPool } from './iv-pool.js';
import { KeyRing, type DerivedKey } from './key-ring.js';
import {
  HEADER_LENGTH,
  HINT_LENGTH,
  IV_LENGTH,
  SEAL_OVERHEAD,
  SEAL_VERSION,
  TAG_LENGTH,
  TIME_LENGTH,
  TIMES_LENGTH,
  base64UrlLength,
  decodeBase64UrlStrict,
} from './seal-format.js';

/** The three instants every seal carries (milliseconds since the epoch). */
export interface SealTimes {
  /** When the session began; kept across renewals, for `absoluteTimeout`. */
  readonly createdAt: number;
  /** When this seal was made. */
  readonly issuedAt: number;
  /** When this seal stops opening. */
  readonly expiresAt: number;
}

/** What a valid seal holds. */
export interface OpenedSeal extends SealTimes {
  readonly data: Record<string, unknown>;
  /** The JSON text exactly as sealed, to tell later whether the data changed. */
  readonly json: string;
  /** Which key of the ring opened it (0 = the current key). */
  readonly keyIndex: number;
}

/**
 * How far in the future a seal's issue time may lie before it is refused: servers behind one
 * load balancer rarely disagree by more, and a seal from further ahead was not made by us now.
 */
export const CLOCK_SKEW_MS = 60_000;

const ALGORITHM = 'aes-256-gcm';

/**
 * Seals session data into a cookie value and opens it again: AES-256-GCM with a fresh random
 * 96-bit IV per seal, keys derived from the secrets with HKDF-SHA256, the format version, key
 * hint and cookie name authenticated as additional data, the result in unpadded base64url.
 *
 * It knows nothing of HTTP or Nest: use it in scripts, tests or other frameworks.
 *
 * @example
 * const codec = new SessionCodec({ secret: process.env.SESSION_SECRET! });
 * const value = codec.seal({ userId: 42 });
 * codec.open(value); // { userId: 42 }
 * codec.open(value.slice(1)); // undefined
 */
export class SessionCodec {
  /** The validated options this codec seals under. */
  readonly options: ResolvedOptions;
  private readonly ring: KeyRing;
  private readonly ivs = new IvPool();
  /** Per key: version + hint, the first bytes of every seal it makes. */
  private readonly headers: Buffer[];
  private readonly aads: Buffer[];
  private readonly minLength = base64UrlLength(SEAL_OVERHEAD + 2);

  /** @throws TypeError naming the option when the options are invalid. */
  constructor(options: CookieSessionOptions | ResolvedOptions) {
    this.options =
      options !== null && typeof options === 'object' && RESOLVED in options
        ? (options as ResolvedOptions)
        : resolveOptions(options);
    this.ring = new KeyRing(this.options.keys);
    const name = Buffer.from(this.options.name, 'utf8');
    this.headers = this.ring.keys.map(headerOf);
    this.aads = this.headers.map((header) => Buffer.concat([header, name]));
  }

  /**
   * Seals `data` as a new session: created and issued now, expiring after `maxAge`
   * (or at `expires`).
   * @throws TypeError when `data` is not a plain object or cannot be turned into JSON.
   */
  seal(data: object, now = Date.now()): string {
    const expiresAt = this.options.expires?.getTime() ?? now + this.options.maxAge;
    return this.sealJson(toJson(data), { createdAt: now, issuedAt: now, expiresAt });
  }

  /**
   * Opens a value made by `seal`. Anything else — tampered, truncated, sealed under another
   * cookie name or an unknown key, expired, from the future, garbage — gives `undefined`.
   * Never throws.
   */
  open<T extends object = Record<string, unknown>>(value: unknown): T | undefined {
    return this.openSeal(value)?.data as T | undefined;
  }

  /**
   * Seals JSON text (an object's) with explicit times.
   * @throws RangeError when a time is not a whole number of milliseconds from 0 to 2^48 - 1.
   */
  sealJson(json: string, times: SealTimes): string {
    checkTime(times.createdAt, 'createdAt');
    checkTime(times.issuedAt, 'issuedAt');
    checkTime(times.expiresAt, 'expiresAt');
    const key = this.ring.current;
    // The plaintext in one buffer, times then JSON: one update() call, the cheapest way through
    // node:crypto for the small sessions that are most requests.
    const plain = Buffer.allocUnsafe(TIMES_LENGTH + Buffer.byteLength(json));
    plain.writeUIntBE(times.createdAt, 0, TIME_LENGTH);
    plain.writeUIntBE(times.issuedAt, TIME_LENGTH, TIME_LENGTH);
    plain.writeUIntBE(times.expiresAt, 2 * TIME_LENGTH, TIME_LENGTH);
    plain.write(json, TIMES_LENGTH);

    const prefix = Buffer.allocUnsafe(HEADER_LENGTH + IV_LENGTH);
    this.headers[key.index].copy(prefix, 0);
    this.ivs.writeNext(prefix, HEADER_LENGTH);
    const cipher = createCipheriv(ALGORITHM, key.key, prefix.subarray(HEADER_LENGTH), {
      authTagLength: TAG_LENGTH,
    });
    cipher.setAAD(this.aads[key.index]);
    const body = cipher.update(plain);
    cipher.final();
    return Buffer.concat([prefix, body, cipher.getAuthTag()]).toString('base64url');
  }

  /** Opens a seal and returns its data, JSON and times, or `undefined`. Never throws. */
  openSeal(value: unknown, now = Date.now()): OpenedSeal | undefined {
    if (typeof value !== 'string' || value.length < this.minLength) return undefined;
    if (value.length > this.options.maxChunks * 4096) return undefined;
    const bytes = decodeBase64UrlStrict(value);
    if (!bytes || bytes.length < SEAL_OVERHEAD + 2 || bytes[0] !== SEAL_VERSION) return undefined;

    const ivEnd = HEADER_LENGTH + IV_LENGTH;
    const tagStart = bytes.length - TAG_LENGTH;
    for (const key of this.ring.candidates(bytes.readUInt32BE(1))) {
      const plain = this.decrypt(key, bytes, ivEnd, tagStart);
      if (plain) return this.check(plain, key.index, now);
    }
    return undefined;
  }

  /** Characters of the sealed value for JSON of `jsonBytes` bytes (for size checks). */
  sealedLength(jsonBytes: number): number {
    return base64UrlLength(SEAL_OVERHEAD + jsonBytes);
  }

  private decrypt(
    key: DerivedKey,
    bytes: Buffer,
    ivEnd: number,
    tagStart: number,
  ): Buffer | undefined {
    try {
      const decipher = createDecipheriv(ALGORITHM, key.key, bytes.subarray(HEADER_LENGTH, ivEnd), {
        authTagLength: TAG_LENGTH,
      });
      decipher.setAAD(this.aads[key.index]);
      decipher.setAuthTag(bytes.subarray(tagStart));
      const plain = decipher.update(bytes.subarray(ivEnd, tagStart));
      decipher.final(); // throws unless the tag verifies: nothing above is used before this line
      return plain;
    } catch {
      return undefined;
    }
  }

  private check(plain: Buffer, keyIndex: number, now: number): OpenedSeal | undefined {
    const createdAt = plain.readUIntBE(0, TIME_LENGTH);
    const issuedAt = plain.readUIntBE(TIME_LENGTH, TIME_LENGTH);
    const expiresAt = plain.readUIntBE(2 * TIME_LENGTH, TIME_LENGTH);
    if (issuedAt > now + CLOCK_SKEW_MS || createdAt > issuedAt || now >= expiresAt)
      return undefined;
    const { absoluteTimeout } = this.options;
    if (absoluteTimeout !== undefined && now >= createdAt + absoluteTimeout) return undefined;

    const json = plain.toString('utf8', TIMES_LENGTH);
    let data: unknown;
    try {
      data = JSON.parse(json);
    } catch {
      return undefined;
    }
    if (data === null || typeof data !== 'object' || Array.isArray(data)) return undefined;
    return {
      data: data as Record<string, unknown>,
      json,
      keyIndex,
      createdAt,
      issuedAt,
      expiresAt,
    };
  }
}

/** Latest instant a seal can carry: 6 bytes of milliseconds (the year 10889). */
const MAX_TIME = 2 ** (8 * TIME_LENGTH) - 1;

function checkTime(value: number, field: string): void {
  // Buffer#writeUIntBE would silently store NaN as 0 (the epoch) and truncate fractions.
  if (!Number.isInteger(value) || value < 0 || value > MAX_TIME) {
    throw new RangeError(
      `SessionCodec: ${field} must be a whole number of milliseconds from 0 to ${MAX_TIME} (got ${value})`,
    );
  }
}

function headerOf(key: DerivedKey): Buffer {
  const header = Buffer.allocUnsafe(HEADER_LENGTH);
  header[0] = SEAL_VERSION;
  key.hint.copy(header, 1, 0, HINT_LENGTH);
  return header;
}

/**
 * JSON text of a session; only objects whose JSON is an object are sessions.
 * @throws TypeError for anything else (arrays, primitives, a `Date`, a `toJSON` that does not
 * give an object) and when JSON.stringify fails (BigInt, cycles).
 */
export function toJson(data: unknown): string {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new TypeError('A session must be a plain object of JSON data');
  }
  const json: unknown = JSON.stringify(data);
  // A Date or an object with toJSON() can stringify to a string, array or nothing: such a seal
  // would never open again.
  if (typeof json !== 'string' || json[0] !== '{') {
    throw new TypeError(
      'A session must be a plain object of JSON data (its JSON must be an object)',
    );
  }
  return json;
}
