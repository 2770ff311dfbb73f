/** A session read from a cookie that one of the replaced session libraries wrote. */
export interface LegacyCookie {
  /** The session data the old library stored. */
  readonly data: Record<string, unknown>;
}

/**
 * The `path` and `domain` the old library set its cookies with: a browser drops a cookie only
 * for its own path and domain.
 */
export interface LegacyCookieScope {
  readonly path: string;
  readonly domain?: string;
  /**
   * The old cookie was partitioned: a browser keeps it apart from an unpartitioned one.
   * `undefined`: as the session cookie is.
   */
  readonly partitioned?: boolean;
}

/** Reads the request's cookie of that name: its value, or `undefined` when it was not sent. */
export type CookieGetter = (cookieName: string) => string | undefined;

/**
 * Longest cookie value a reader looks at. Both old libraries stayed under 4096 bytes per cookie;
 * anything longer is refused before any decoding, so a hostile value costs next to nothing.
 */
export const MAX_LEGACY_VALUE_LENGTH = 8192;

/** `json` parsed, when it is a plain JSON object (not an array, `null` or a primitive). */
export function parseJsonObject(json: string): Record<string, unknown> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  return value as Record<string, unknown>;
}
