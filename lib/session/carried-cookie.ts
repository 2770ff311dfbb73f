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
  /**
   * Values of the replaced libraries' cookies, by name, to adopt; none when one of them or a
   * cookie of this session came more than once, as a copy tossed in by a sibling subdomain
   * cannot be told from the user's own.
   */
  readonly legacy: ReadonlyMap<string, string>;
  /** Names of the replaced libraries' cookies the request carried, read or not, to expire. */
  readonly legacyNames: readonly string[];
  /**
   * When the request brought the cookie in (ms). Its seal is judged in date or not at this one
   * time by every step of the request: a step that runs later must not let through a seal the
   * entry step refused (one from a clock a little ahead) and so skipped validating.
   */
  readonly readAt: number;
}

/** The legacy values of a request that carried no replaced library's cookie (most requests). */
const NO_LEGACY: ReadonlyMap<string, string> = new Map();
const NO_NAMES: readonly string[] = Object.freeze([]);

/**
 * Reads the session cookie and its chunks, at cookie boundaries only; `undefined` when the
 * request carries none of the names asked for (the common case is one substring search).
 */
export function readCarriedCookie(
  header: string | undefined,
  name: string,
  maxChunks: number,
  legacyNames: ReadonlySet<string>,
  readAt: number,
): CarriedCookie | undefined {
  if (!header) return undefined;
  if (!header.includes(name) && !mentionsAny(header, legacyNames)) return undefined;
  const found = findCookies(header, (n) => chunkIndex(name, n) !== -1 || legacyNames.has(n));
  const names: string[] = [];
  let duplicated = false;
  let legacy: Map<string, string> | undefined;
  let legacyDuplicated = false;
  for (const [cookieName, values] of found) {
    if (legacyNames.has(cookieName)) {
      (legacy ??= new Map()).set(cookieName, values[0]);
      if (values.length > 1) legacyDuplicated = true;
    }
    if (chunkIndex(name, cookieName) === -1) continue;
    names.push(cookieName);
    if (values.length > 1) duplicated = true;
  }
  if (names.length === 0 && legacy === undefined) return undefined;
  const carriedLegacy = legacy === undefined ? NO_NAMES : [...legacy.keys()];
  // A tossed cookie of either kind makes an old cookie as suspect as the seal: a sibling
  // subdomain could otherwise swap in its own account's old cookie and have it re-sealed.
  if (legacyDuplicated || duplicated) legacy = undefined;
  const parts: string[] = [];
  for (let i = 0; i < maxChunks; i++) {
    const part = found.get(chunkName(name, i));
    if (part === undefined) break;
    parts.push(part[0]);
  }
  const seal = duplicated || parts.length === 0 ? undefined : joinChunks(name, parts);
  return {
    seal,
    names,
    duplicated,
    legacy: legacy ?? NO_LEGACY,
    legacyNames: carriedLegacy,
    readAt,
  };
}

function mentionsAny(header: string, names: ReadonlySet<string>): boolean {
  for (const name of names) if (header.includes(name)) return true;
  return false;
}
