import type { ServerResponse } from 'node:http';
import { serialize, type SerializeOptions } from 'cookie';

/** The attributes of a session cookie, but its expiry. */
export interface CookieAttributes {
  readonly path: string;
  readonly domain?: string;
  readonly httpOnly: boolean;
  readonly secure: boolean;
  readonly sameSite: 'lax' | 'strict' | 'none' | false;
  readonly partitioned?: boolean;
  readonly priority?: 'low' | 'medium' | 'high';
}

// Seals are base64url: written as they are.
const AS_IS = (value: string) => value;

/**
 * One `Set-Cookie` line. `expiresAt` (ms) gives `Max-Age` and `Expires`, rounded up to the
 * next whole second so that a browser never drops a cookie the server would still accept;
 * `undefined` makes a browser-session cookie.
 */
export function setCookieLine(
  name: string,
  value: string,
  attributes: CookieAttributes,
  expiresAt: number | undefined,
  now: number,
): string {
  const options: SerializeOptions = { ...attributes, encode: AS_IS };
  if (expiresAt !== undefined) {
    const seconds = Math.max(0, Math.ceil((expiresAt - now) / 1000));
    options.maxAge = seconds;
    options.expires = new Date(Math.ceil(expiresAt / 1000) * 1000);
  }
  return serialize(name, value, options);
}

/** A `Set-Cookie` line that makes the browser drop cookie `name` now. */
export function clearCookieLine(name: string, attributes: CookieAttributes): string {
  return serialize(name, '', { ...attributes, expires: new Date(0), maxAge: 0 });
}

/**
 * Adds `Set-Cookie` lines to the response, keeping what others queued. With `replace`, earlier
 * lines for the same cookie names are dropped first (cookie-session's `overwrite`).
 */
export function appendSetCookies(
  res: ServerResponse,
  lines: readonly string[],
  replace: ReadonlySet<string> | undefined,
): void {
  const previous = res.getHeader('set-cookie');
  let all: string[] =
    previous === undefined ? [] : Array.isArray(previous) ? [...previous] : [String(previous)];
  if (replace) all = all.filter((line) => !replace.has(line.slice(0, line.indexOf('=')).trim()));
  all.push(...lines);
  res.setHeader('set-cookie', all);
}

/**
 * Keeps shared caches (CDNs, proxies) from storing a response that sets a session cookie and
 * serving it to others: `Cache-Control: private`, unless the application already said
 * `private` or `no-store`; a `public` directive is dropped.
 */
export function markPrivate(res: ServerResponse): void {
  const current = res.getHeader('cache-control');
  const text = current === undefined ? '' : String(current);
  if (/(?:^|[\s,])(?:private|no-store)(?:$|[\s,=])/i.test(text)) return;
  const others = text
    .split(',')
    .map((directive) => directive.trim())
    .filter((directive) => directive !== '' && !/^public$/i.test(directive));
  res.setHeader('cache-control', ['private', ...others].join(', '));
}
