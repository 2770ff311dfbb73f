import { SessionTooLargeError } from '../errors.js';

/** Browsers keep at most 4096 bytes of `name=value` per cookie (RFC 6265 §6.1). */
export const COOKIE_LIMIT = 4096;

/**
 * Most cookies one session may span. A default Node server refuses request headers over 16 KB
 * (HTTP 431): three full cookies (12 KB) leave room for the request line, the other headers and
 * the application's other cookies, so no client is ever locked out by a session we wrote.
 */
export const MAX_CHUNKS = 3;

/** The name of chunk `index` of cookie `name`: `name`, `name.1`, `name.2`, … */
export function chunkName(name: string, index: number): string {
  return index === 0 ? name : `${name}.${index}`;
}

/** The chunk index of `cookieName` in session cookie `name`, or -1 when it is not one. */
export function chunkIndex(name: string, cookieName: string): number {
  if (cookieName === name) return 0;
  if (cookieName.length <= name.length + 1 || !cookieName.startsWith(name)) return -1;
  if (cookieName[name.length] !== '.') return -1;
  // Only chunks this library can have written under any configuration (`maxChunks` ≤ 3): any
  // other name is not ours to clear, and clearing it would let a request inflate its response.
  const index = cookieName.slice(name.length + 1);
  return index.length === 1 && index >= '1' && index < String(MAX_CHUNKS) ? Number(index) : -1;
}

/** Characters of a seal that chunk `index` of cookie `name` holds when full. */
function room(name: string, index: number): number {
  return COOKIE_LIMIT - chunkName(name, index).length - 1;
}

/**
 * Joins the chunks a request carried into the seal. Every chunk but the last is full, so
 * chunks after the first short one are stale leftovers (a clearing response that was lost) and
 * are not part of the seal: the seal is found with one decryption, not one per guess.
 */
export function joinChunks(name: string, parts: readonly string[]): string {
  let joined = '';
  for (let i = 0; i < parts.length; i++) {
    joined += parts[i];
    if (parts[i].length < room(name, i)) break;
  }
  return joined;
}

/**
 * Whether a reader of these chunks (up to `maxChunks` of them) would look for one more: the last
 * is full and another chunk may follow, so a stale cookie of that name (left by a parallel
 * request's larger session) would be joined to the seal and make it fail to open.
 */
export function endsFull(name: string, chunks: readonly string[], maxChunks: number): boolean {
  const last = chunks.length - 1;
  return chunks.length < maxChunks && chunks[last].length === room(name, last);
}

/**
 * Splits a seal over cookies `name`, `name.1`, … so that each `name=value` fits the browser's
 * limit. @throws SessionTooLargeError when more than `maxChunks` cookies would be needed.
 */
export function splitIntoChunks(name: string, value: string, maxChunks: number): string[] {
  const tooLarge = tooLargeError(name, value.length, maxChunks);
  if (tooLarge) throw tooLarge;
  const chunks: string[] = [];
  for (let offset = 0, i = 0; offset < value.length || i === 0; i++) {
    chunks.push(value.slice(offset, offset + room(name, i)));
    offset += room(name, i);
  }
  return chunks;
}

/**
 * The error for a seal of `valueLength` characters that `maxChunks` cookies of `name` cannot
 * carry, or `undefined` when it fits.
 */
export function tooLargeError(
  name: string,
  valueLength: number,
  maxChunks: number,
): SessionTooLargeError | undefined {
  // Both numbers count bytes of `name=value` over `maxChunks` cookies, so that `size > limit`
  // exactly when the value does not fit (with one cookie: the `name=value` length vs 4096).
  let names = 0;
  for (let i = 0; i < maxChunks; i++) names += chunkName(name, i).length + 1;
  const limit = maxChunks * COOKIE_LIMIT;
  const size = names + valueLength;
  return size > limit
    ? new SessionTooLargeError(name, size, limit, maxChunks, MAX_CHUNKS)
    : undefined;
}

/** Longest seal `maxChunks` cookies of session cookie `name` can carry. */
export function maxSealLength(name: string, maxChunks: number): number {
  let total = 0;
  for (let i = 0; i < maxChunks; i++) total += room(name, i);
  return total;
}
