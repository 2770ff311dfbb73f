import {
  HEADER_LENGTH,
  IV_LENGTH,
  decodeBase64UrlStrict,
  readHeader,
  type SealHeader,
  type SealTimes,
} from '../../lib/crypto/seal-format.js';

/** A fixed instant for tests that seal at a chosen time, and the hour they count in. */
export const T0 = Date.UTC(2030, 0, 1, 12, 0, 0);
export const HOUR = 3_600_000;

/** Seal times for a session created and sealed at T0, expiring an hour later; `over` changes any. */
export function sealTimesAt(over: Partial<SealTimes> = {}): SealTimes {
  return {
    createdAt: T0,
    issuedAt: T0,
    expiresAt: T0 + HOUR,
    validatedAt: 0,
    lifetime: 0,
    ...over,
  };
}

/**
 * The times a seal carries in its clear header (createdAt, issuedAt, expiresAt, validatedAt,
 * lifetime) and its key hint, read without any key. Throws when `value` is not a seal, so a
 * test never compares times read from garbage.
 */
export function sealTimes(value: string): SealHeader {
  const bytes = decodeBase64UrlStrict(value);
  if (bytes === undefined || bytes.length < HEADER_LENGTH) {
    throw new Error(`not a seal: ${JSON.stringify(value.slice(0, 16))}…`);
  }
  return readHeader(bytes);
}

/**
 * The same seal with its ciphertext corrupted and its header intact: its times still read, but
 * it can never open. A request that leaves it alone proves nothing was decrypted.
 */
export function corruptCiphertext(value: string): string {
  const bytes = decodeBase64UrlStrict(value);
  if (bytes === undefined) throw new Error('not a seal');
  const copy = Buffer.from(bytes);
  const at = HEADER_LENGTH + IV_LENGTH; // the first ciphertext byte
  copy[at] ^= 0xff;
  return copy.toString('base64url');
}
