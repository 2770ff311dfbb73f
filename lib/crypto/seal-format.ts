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

/**
 * Decodes unpadded base64url strictly. Node's decoder skips characters outside the alphabet,
 * accepts `+`, `/` and `=` and ignores the unused low bits of the last character, so several
 * strings could decode to the same bytes; a seal has exactly one accepted spelling. Encoding the
 * bytes back and comparing enforces that in one pass (a character-class regex over a 4 KB value
 * costs twice as much as both conversions together).
 */
export function decodeBase64UrlStrict(value: string): Buffer | undefined {
  const bytes = Buffer.from(value, 'base64url');
  return bytes.toString('base64url') === value ? bytes : undefined;
}
