import { chunkIndex, chunkName, joinChunks } from '../cookie/chunks.js';
import { findCookies } from '../cookie/cookie-header.js';

/** The session cookie (and any cookie of a replaced library) as a request carried it. */
export interface CarriedCookie {
  /** The seal, its chunks joined; `undefined` when absent or ambiguous. */
  readonly seal: string | undefined;
  /** Every cookie of this session the request carried (`name`, `name.1`, …), to clear. */
  readonly names: readonly string[];
  /**
   * A cookie of this session came more than once: a sibling subdomain may have tossed its own
   * cookie in. Nothing is read, renewed or rewritten from such a request.
   */
  readonly duplicated: boolean;
  /** Values of the replaced libraries' cookies, by name. */
  readonly legacy: ReadonlyMap<string, string>;
}

/**
 * Reads the session cookie and its chunks, at cookie boundaries only; `undefined` when the
 * request carries none of the names asked for (the common case is one substring search).
 */
export function readCarriedCookie(
  header: string | undefined,
  name: string,
  maxChunks: number,
  legacyNames: ReadonlySet<string>,
): CarriedCookie | undefined {
  if (!header) return undefined;
  if (!header.includes(name) && !mentionsAny(header, legacyNames)) return undefined;
  const found = findCookies(header, (n) => chunkIndex(name, n) !== -1 || legacyNames.has(n));
  const names: string[] = [];
  let duplicated = false;
  const legacy = new Map<string, string>();
  for (const [cookieName, values] of found) {
    if (legacyNames.has(cookieName)) legacy.set(cookieName, values[0]);
    if (chunkIndex(name, cookieName) === -1) continue;
    names.push(cookieName);
    if (values.length > 1) duplicated = true;
  }
  if (names.length === 0 && legacy.size === 0) return undefined;
  const parts: string[] = [];
  for (let i = 0; i < maxChunks; i++) {
    const part = found.get(chunkName(name, i));
    if (part === undefined) break;
    parts.push(part[0]);
  }
  const seal = duplicated || parts.length === 0 ? undefined : joinChunks(name, parts);
  return { seal, names, duplicated, legacy };
}

function mentionsAny(header: string, names: ReadonlySet<string>): boolean {
  for (const name of names) if (header.includes(name)) return true;
  return false;
}
