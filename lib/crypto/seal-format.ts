/**
 * Byte layout of a seal (version 2). Everything before the ciphertext is fixed-width, so a seal
 * can be checked for length, and its times read, before any decryption is attempted.
 *
 *   seal   = version(1) | keyHint(4) | times(30) | iv(12) | ciphertext(JSON) | tag(16)   (then base64url)
 *   times  = createdAt(6) | issuedAt(6) | expiresAt(6) | validatedAt(6) | lifetime(6)
 *
 * Times are milliseconds since the epoch, big-endian. They travel in the clear so that a
 * request that does not need the data can tell whether a renewal or a validation is due without
 * decrypting anything; they are authenticated (the whole header is additional data, together
 * with the cookie name), so a changed time makes the seal fail to open. `lifetime` is a lifetime
 * chosen for this session by the application (0: the module's `maxAge`); `validatedAt` the last
 * successful validation (0: never).
 */
export const SEAL_VERSION = 2;
export const HINT_OFFSET = 1;
export const HINT_LENGTH = 4;
export const TIME_LENGTH = 6;
export const TIME_FIELDS = [
  'createdAt',
  'issuedAt',
  'expiresAt',
  'validatedAt',
  'lifetime',
] as const;
export const TIMES_OFFSET = HINT_OFFSET + HINT_LENGTH;
export const HEADER_LENGTH = TIMES_OFFSET + TIME_FIELDS.length * TIME_LENGTH;
export const IV_LENGTH = 12;
export const TAG_LENGTH = 16;
/** Bytes a seal adds around the JSON: header, IV and tag. */
export const SEAL_OVERHEAD = HEADER_LENGTH + IV_LENGTH + TAG_LENGTH;
/** Latest instant (or longest lifetime) a seal can carry: 6 bytes of milliseconds (the year 10889). */
export const MAX_TIME = 2 ** (8 * TIME_LENGTH) - 1;

/** The times every seal carries in its header. */
export interface SealTimes {
  /** When the session began; kept across renewals, for `absoluteTimeout`. */
  readonly createdAt: number;
  /** When this seal was made. */
  readonly issuedAt: number;
  /** When this seal stops opening. */
  readonly expiresAt: number;
  /** When the session last passed the application's validation (0: never). */
  readonly validatedAt: number;
  /** Lifetime the application chose for this session, in ms (0: the module's `maxAge`). */
  readonly lifetime: number;
}

/** What a seal's header says, read without decrypting (authentic only once the seal opens). */
export interface SealHeader extends SealTimes {
  readonly hint: number;
}

/** Length in characters of `bytes` bytes encoded as unpadded base64url. */
export function base64UrlLength(bytes: number): number {
  return Math.ceil((bytes * 4) / 3);
}

/**
 * Decodes unpadded base64url strictly: one accepted spelling per byte string. Node's decoder
 * skips characters outside the alphabet, keeps only the low byte of other UTF-16 units (so `Ł`
 * reads as `A`), accepts `+` and `/` and ignores the unused bits of the last character; each of
 * those would give a seal several spellings. The bytes must therefore encode back to the very
 * same string: an encoder's output holds alphabet characters only, with unused bits zero, so
 * this one comparison refuses all of them (and costs a fraction of a regular-expression scan).
 */
export function decodeBase64UrlStrict(value: string): Buffer | undefined {
  const bytes = Buffer.from(value, 'base64url');
  return bytes.toString('base64url') === value ? bytes : undefined;
}

/** Reads the header of decoded seal bytes (the caller checked the length). */
export function readHeader(bytes: Buffer): SealHeader {
  return {
    hint: bytes.readUInt32BE(HINT_OFFSET),
    createdAt: bytes.readUIntBE(TIMES_OFFSET, TIME_LENGTH),
    issuedAt: bytes.readUIntBE(TIMES_OFFSET + TIME_LENGTH, TIME_LENGTH),
    expiresAt: bytes.readUIntBE(TIMES_OFFSET + 2 * TIME_LENGTH, TIME_LENGTH),
    validatedAt: bytes.readUIntBE(TIMES_OFFSET + 3 * TIME_LENGTH, TIME_LENGTH),
    lifetime: bytes.readUIntBE(TIMES_OFFSET + 4 * TIME_LENGTH, TIME_LENGTH),
  };
}

/**
 * Writes version, hint and times into the first `HEADER_LENGTH` bytes of `target`.
 * @throws RangeError when a time is not a whole number of milliseconds from 0 to `MAX_TIME`.
 */
export function writeHeader(target: Buffer, hint: Buffer, times: SealTimes): void {
  target[0] = SEAL_VERSION;
  hint.copy(target, HINT_OFFSET, 0, HINT_LENGTH);
  writeTime(target, 0, times.createdAt, 'createdAt');
  writeTime(target, 1, times.issuedAt, 'issuedAt');
  writeTime(target, 2, times.expiresAt, 'expiresAt');
  writeTime(target, 3, times.validatedAt, 'validatedAt');
  writeTime(target, 4, times.lifetime, 'lifetime');
}

function writeTime(target: Buffer, index: number, value: number, field: string): void {
  // Buffer#writeUIntBE would silently store NaN as 0 (the epoch) and truncate fractions.
  if (!Number.isInteger(value) || value < 0 || value > MAX_TIME) {
    throw new RangeError(
      `A seal's ${field} must be a whole number of milliseconds from 0 to ${MAX_TIME} (got ${value})`,
    );
  }
  target.writeUIntBE(value, TIMES_OFFSET + index * TIME_LENGTH, TIME_LENGTH);
}
