import {
  HEADER_LENGTH,
  IV_LENGTH,
  decodeBase64UrlStrict,
  readHeader,
  type SealHeader,
} from '../../lib/crypto/seal-format.js';

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
