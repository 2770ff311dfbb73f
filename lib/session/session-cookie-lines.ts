import { chunkIndex, chunkName, splitIntoChunks } from '../cookie/chunks.js';
import { clearCookieLine, setCookieLine, type CookieAttributes } from '../cookie/set-cookie.js';

/** The `Set-Cookie` lines of one response for session cookie `name`. */
export interface LinesInput {
  readonly name: string;
  readonly maxChunks: number;
  readonly attributes: CookieAttributes;
  /** Cookies of this session (and of replaced libraries) the request carried. */
  readonly carried: readonly string[];
}

/**
 * The seal split into chunk cookies, then lines expiring what the request carried and no
 * longer needs: chunks past the new last one, and adopted cookies of replaced libraries.
 * @throws SessionTooLargeError when the seal needs more than `maxChunks` cookies.
 */
export function sealLines(
  input: LinesInput,
  value: string,
  expiresAt: number | undefined,
  now: number,
): string[] {
  const chunks = splitIntoChunks(input.name, value, input.maxChunks);
  const lines = chunks.map((chunk, i) =>
    setCookieLine(chunkName(input.name, i), chunk, input.attributes, expiresAt, now),
  );
  const stale = input.carried.filter((n) => {
    const index = chunkIndex(input.name, n);
    return index === -1 || index >= chunks.length;
  });
  return lines.concat(stale.map((n) => clearCookieLine(n, input.attributes)));
}

/** Lines expiring the session cookie and everything the request carried of it. */
export function clearLines(input: LinesInput): string[] {
  const names = new Set([input.name, ...input.carried]);
  return [...names].map((n) => clearCookieLine(n, input.attributes));
}

/** Names whose earlier `Set-Cookie` lines these lines replace (cookie-session's `overwrite`). */
export function namesOf(lines: readonly string[]): Set<string> {
  return new Set(lines.map((line) => line.slice(0, line.indexOf('='))));
}
