import type { ServerResponse } from 'node:http';
import { serialize } from 'cookie';

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

/** The attribute text (`; Domain=…; Path=/; HttpOnly; …`) of each attributes object. */
const ATTRIBUTE_TEXT = new WeakMap<CookieAttributes, string>();

/**
 * The attributes of a cookie as text, formatted and checked by `cookie` once per attributes
 * object: the module's own attributes are one object per `Secure` flag, so most responses
 * reuse the text (and skip `cookie`'s checks of a seal it already knows to be base64url).
 */
function attributeText(attributes: CookieAttributes): string {
  let text = ATTRIBUTE_TEXT.get(attributes);
  if (text === undefined) {
    text = serialize('x', '', attributes).slice('x='.length);
    ATTRIBUTE_TEXT.set(attributes, text);
  }
  return text;
}

/**
 * One `Set-Cookie` line for a name checked at start-up and a base64url seal. `expiresAt` (ms)
 * gives `Max-Age` and `Expires`, rounded up to the next whole second so that a browser never
 * drops a cookie the server would still accept; `undefined` makes a browser-session cookie.
 */
export function setCookieLine(
  name: string,
  value: string,
  attributes: CookieAttributes,
  expiresAt: number | undefined,
  now: number,
): string {
  let expiry = '';
  if (expiresAt !== undefined) {
    const seconds = Math.max(0, Math.ceil((expiresAt - now) / 1000));
    expiry = `; Max-Age=${seconds}; Expires=${httpDate(Math.ceil(expiresAt / 1000))}`;
  }
  return `${name}=${value}${expiry}${attributeText(attributes)}`;
}

/** The last date formatted: the sessions written within one second all expire in the same one. */
let lastDate = { second: NaN, text: '' };

/** An HTTP date (`Thu, 01 Jan 1970 00:00:00 GMT`) for a time in whole seconds. */
function httpDate(second: number): string {
  if (lastDate.second !== second) {
    lastDate = { second, text: new Date(second * 1000).toUTCString() };
  }
  return lastDate.text;
}

/** A `Set-Cookie` line that makes the browser drop cookie `name` now. */
export function clearCookieLine(name: string, attributes: CookieAttributes): string {
  return serialize(name, '', { ...attributes, expires: new Date(0), maxAge: 0 });
}

/**
 * Adds `Set-Cookie` lines to the response, keeping what others queued. With `overwrite`, earlier
 * lines for the cookie names these lines set are dropped first (cookie-session's `overwrite`).
 */
export function appendSetCookies(
  res: ServerResponse,
  lines: readonly string[],
  overwrite: boolean,
): void {
  const previous = res.getHeader('set-cookie');
  if (previous === undefined) {
    res.setHeader('set-cookie', lines as string[]);
    return;
  }
  let all: string[] = Array.isArray(previous) ? [...previous] : [String(previous)];
  if (overwrite) {
    const names = new Set(lines.map(nameOf));
    all = all.filter((line) => !names.has(nameOf(line).trim()));
  }
  all.push(...lines);
  res.setHeader('set-cookie', all);
}

/** The cookie name a `Set-Cookie` line sets. */
function nameOf(line: string): string {
  return line.slice(0, line.indexOf('='));
}

/**
 * Keeps shared caches (CDNs, proxies) from storing a response that sets a session cookie and
 * serving it to others: `Cache-Control: private`, unless the application already said
 * `private`, `no-store` or `private="…"` naming `Set-Cookie`; a `public` directive is dropped.
 * A `private="…"` naming other fields only keeps those from shared caches (RFC 9111), so it
 * gets `private` beside it.
 */
export function markPrivate(res: ServerResponse): void {
  const current = res.getHeader('cache-control');
  if (current === undefined) {
    res.setHeader('cache-control', 'private');
    return;
  }
  const text = String(current);
  if (/(?:^|[\s,])(?:private|no-store)(?:$|[\s,])/i.test(text)) return;
  const fields = /(?:^|[\s,])private\s*=\s*(?:"([^"]*)"|([^\s,]*))/i.exec(text);
  const namesSetCookie = (fields?.[1] ?? fields?.[2] ?? '')
    .split(',')
    .some((field) => field.trim().toLowerCase() === 'set-cookie');
  if (namesSetCookie) return;
  const others = text
    .split(',')
    .map((directive) => directive.trim())
    .filter((directive) => directive !== '' && !/^public$/i.test(directive));
  res.setHeader('cache-control', ['private', ...others].join(', '));
}
