import { maxSealLength, tooLargeError } from '../cookie/chunks.js';
import { KeyRing } from '../crypto/key-ring.js';
import type { SealTimes } from '../crypto/seal-format.js';
import { Sealer } from '../crypto/sealer.js';
import type { RecentSeals } from './recent-seals.js';

/**
 * How far in the future a seal's issue time may lie before it is refused: servers behind one
 * load balancer rarely disagree by more, and a seal from further ahead was not made by us now.
 */
export const CLOCK_SKEW_MS = 60_000;

/** A seal that opened, was in date and held a JSON object. */
export interface OpenedSession extends SealTimes {
  readonly data: Record<string, unknown>;
  /** The JSON text exactly as sealed, to tell later whether the data changed. */
  readonly json: string;
  /** Which key of the ring opened it (0 = the current key). */
  readonly keyIndex: number;
}

/** A seal's times and the ring position of its key, read without opening it. */
export interface PeekedSeal extends SealTimes {
  /** Ring position of the key the seal names, or -1 when no key of the ring has its hint. */
  readonly keyIndex: number;
}

export interface SealerSettings {
  readonly name: string;
  readonly maxChunks: number;
  readonly absoluteTimeout: number | undefined;
}

/**
 * Seals session JSON for one cookie name and opens it again, refusing seals out of date
 * (expired, past `absoluteTimeout`, from the future) and values longer than `maxChunks`
 * cookies carry — in both directions, so it never makes a value it cannot open.
 */
export class SessionSealer {
  readonly #sealer: Sealer;
  readonly #settings: SealerSettings;
  readonly #maxLength: number;
  readonly #recent: RecentSeals | undefined;

  /**
   * @param recent seals made or opened lately, to skip the cipher when one comes back.
   * @param onFutureSeal told when an authentic seal is refused for being issued further ahead
   * than the clock skew allows: the app's instances disagree on the time.
   */
  constructor(
    secrets: readonly (string | Buffer)[],
    settings: SealerSettings,
    recent?: RecentSeals,
    private readonly onFutureSeal?: () => void,
  ) {
    this.#settings = settings;
    this.#recent = recent;
    this.#maxLength = maxSealLength(settings.name, settings.maxChunks);
    this.#sealer = new Sealer(new KeyRing(secrets), settings.name, this.#maxLength);
  }

  /**
   * @throws SessionTooLargeError when the seal would not fit in `maxChunks` cookies.
   * @throws RangeError when a time is out of range.
   */
  seal(json: string, times: SealTimes): string {
    const { name, maxChunks } = this.#settings;
    const length = Sealer.sealedLength(Buffer.byteLength(json));
    // The same bound `tooLargeError` applies (the longest seal is what its cookies hold).
    if (length > this.#maxLength) throw tooLargeError(name, length, maxChunks)!;
    const value = this.#sealer.seal(json, times);
    const { createdAt, issuedAt, expiresAt, validatedAt, lifetime } = times;
    this.#recent?.remember(value, {
      createdAt,
      issuedAt,
      expiresAt,
      validatedAt,
      lifetime,
      json,
      keyIndex: 0,
    });
    return value;
  }

  /**
   * Forgets a remembered seal that a response replaces or ends: its client is sent another
   * cookie, so the entry would only push live users' seals out of the cache. A request still in
   * flight with it simply decrypts it.
   */
  forget(value: string): void {
    this.#recent?.forget(value);
  }

  /** The times of a seal that is in date by its clear-text header (not yet authenticated). */
  peek(value: string, now: number): PeekedSeal | undefined {
    // A seal this app made or opened lately: its times are known (and authentic) without
    // decoding the header again.
    const header = this.#recent?.peek(value) ?? this.#sealer.peek(value);
    return header && this.#inDate(header, now) ? header : undefined;
  }

  /** Opens a seal that is authentic and in date. Never throws. */
  open(value: string, now: number): OpenedSession | undefined {
    const recent = this.#recent?.get(value);
    const opened = recent ?? this.#sealer.open(value);
    if (!opened) return undefined;
    // Times are checked on every use, a remembered seal's too.
    if (!this.#inDate(opened, now)) {
      if (recent) this.#recent!.forget(value);
      if (opened.issuedAt > now + CLOCK_SKEW_MS) this.onFutureSeal?.();
      return undefined;
    }
    let data: unknown;
    try {
      data = JSON.parse(opened.json);
    } catch {
      return undefined;
    }
    if (data === null || typeof data !== 'object' || Array.isArray(data)) return undefined;
    if (!recent) this.#recent?.remember(value, opened);
    const { createdAt, issuedAt, expiresAt, validatedAt, lifetime, json, keyIndex } = opened;
    return {
      createdAt,
      issuedAt,
      expiresAt,
      validatedAt,
      lifetime,
      json,
      keyIndex,
      data: data as Record<string, unknown>,
    };
  }

  #inDate(times: SealTimes, now: number): boolean {
    const { absoluteTimeout } = this.#settings;
    if (times.issuedAt > now + CLOCK_SKEW_MS || times.createdAt > times.issuedAt) return false;
    if (now >= times.expiresAt) return false;
    return absoluteTimeout === undefined || now < times.createdAt + absoluteTimeout;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `SessionSealer { name: ${JSON.stringify(this.#settings.name)} }`;
  }
}

/**
 * The times of a session sealed outside a request (a codec, a test's cookie): created and
 * issued `now`, expiring after `maxAge` or at a fixed `expires`, never validated, so an app's
 * `validate` checks it on its first request.
 */
export function newSessionTimes(now: number, maxAge: number, expires: Date | undefined): SealTimes {
  const expiresAt = expires?.getTime() ?? now + maxAge;
  return { createdAt: now, issuedAt: now, expiresAt, validatedAt: 0, lifetime: 0 };
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
