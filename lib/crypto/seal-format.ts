/**
 * Byte layout of a seal (version 1). Everything here is fixed-width so that a seal can be
 * checked for length before any decryption is attempted.
 *
 *   seal      = version(1) | keyHint(4) | iv(12) | ciphertext | tag(16)     (then base64url)
 *   plaintext = createdAt(6) | issuedAt(6) | expiresAt(6) | JSON            (ms since epoch, big-endian)
 *
 * The timestamps live inside the ciphertext: nothing about the session, not even its age, is
 * readable without the key. The header (version + key hint) is authenticated as AAD together
 * with the cookie name, so a seal cannot be replayed under another cookie name or version.
 */
export const SEAL_VERSION = 1;
export const VERSION_LENGTH = 1;
export const HINT_LENGTH = 4;
export const HEADER_LENGTH = VERSION_LENGTH + HINT_LENGTH;
export const IV_LENGTH = 12;
export const TAG_LENGTH = 16;
export const TIME_LENGTH = 6;
export const TIMES_LENGTH = 3 * TIME_LENGTH;
/** Bytes a seal adds around the JSON: header, IV, timestamps and tag. */
export const SEAL_OVERHEAD = HEADER_LENGTH + IV_LENGTH + TIMES_LENGTH + TAG_LENGTH;

/** Length in characters of `bytes` bytes encoded as unpadded base64url. */
export function base64UrlLength(bytes: number): number {
  return Math.ceil((bytes * 4) / 3);
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * Decodes unpadded base64url strictly. Node's decoder skips characters outside the alphabet,
 * stops at `=`, accepts `+` and `/`, and ignores the unused low bits of the last character, so
 * several strings could decode to the same bytes; a seal has exactly one accepted spelling.
 * A skipped character or a `=` shortens the output, so the length check catches them; `+` and
 * `/` are looked for; the last character's unused bits must be zero. (Cheaper than a
 * character-class scan or encoding the bytes back, and equivalent to both.)
 */
export function decodeBase64UrlStrict(value: string): Buffer | undefined {
  const rest = value.length % 4;
  if (rest === 1) return undefined;
  const bytes = Buffer.from(value, 'base64url');
  if (bytes.length !== (value.length * 3) >> 2) return undefined;
  if (value.includes('+') || value.includes('/')) return undefined;
  if (rest !== 0) {
    const last = ALPHABET.indexOf(value[value.length - 1]);
    if ((last & (rest === 2 ? 0b1111 : 0b11)) !== 0) return undefined;
  }
  return bytes;
}
