import { chunkIndex, chunkName, endsFull, splitIntoChunks } from '../cookie/chunks.js';
import { clearCookieLine, setCookieLine, type CookieAttributes } from '../cookie/set-cookie.js';
import type { LegacyCookieScope } from '../legacy/legacy-cookie.js';

/** Cookies of a replaced library that a request carried, and where they live. */
export interface ReplacedCookies {
  readonly names: readonly string[];
  readonly scope: LegacyCookieScope;
}

/** The `Set-Cookie` lines of one response for session cookie `name`. */
export interface LinesInput {
  readonly name: string;
  readonly maxChunks: number;
  readonly attributes: CookieAttributes;
  /** Cookies of this session the request carried. */
  readonly carried: readonly string[];
  /** Cookies of the replaced libraries the request carried, to expire. */
  readonly replaced: readonly ReplacedCookies[];
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
  const lines: string[] = [];
  for (let i = 0; i < chunks.length; i++) {
    lines.push(
      setCookieLine(chunkName(input.name, i), chunks[i], input.attributes, expiresAt, now),
    );
  }
  for (const name of input.carried) {
    const index = chunkIndex(input.name, name);
    if (index === -1 || index >= chunks.length) lines.push(clearCookieLine(name, input.attributes));
  }
  // The browser may hold a next chunk this request did not carry (another tab's larger session):
  // after a full last chunk it would be read as part of this seal.
  const next = chunkName(input.name, chunks.length);
  if (endsFull(input.name, chunks, input.maxChunks) && !input.carried.includes(next))
    lines.push(clearCookieLine(next, input.attributes));
  if (input.replaced.length > 0) lines.push(...replacedLines(input.replaced, input.attributes));
  return lines;
}

/** Lines expiring the session cookie and everything the request carried of it. */
export function clearLines(input: LinesInput): string[] {
  const names = new Set([input.name, ...input.carried]);
  const lines = [...names].map((n) => clearCookieLine(n, input.attributes));
  lines.push(...replacedLines(input.replaced, input.attributes));
  return lines;
}

/**
 * Lines expiring the replaced libraries' cookies where they live: their own path, domain and
 * partitioning (a line for a partitioned cookie addresses another cookie than an unpartitioned
 * one), the session cookie's partitioning unless the old cookie's was given.
 */
function replacedLines(
  replaced: readonly ReplacedCookies[],
  attributes: CookieAttributes,
): string[] {
  return replaced.flatMap(({ names, scope }) => {
    const { path, domain } = scope;
    const partitioned = scope.partitioned ?? attributes.partitioned ?? false;
    // A partitioned cookie was set Secure, and only a Secure line reaches it; it lives in
    // cross-site embeds, where browsers refuse a Lax or Strict line.
    const secure = attributes.secure || partitioned;
    const sameSite = partitioned ? 'none' : attributes.sameSite;
    const where: CookieAttributes = { ...attributes, path, domain, partitioned, secure, sameSite };
    return names.map((name) => clearCookieLine(name, where));
  });
}
