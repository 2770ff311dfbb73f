import type { ServerResponse } from 'node:http';
import { parse, serialize, type SerializeOptions } from 'cookie';
import { SessionTooLargeError } from '../session-too-large.error.js';

/** Browsers keep at most 4096 bytes of `name=value` per cookie (RFC 6265 §6.1). */
export const COOKIE_LIMIT = 4096;

/** The session cookie as a request carried it. */
export interface IncomingSessionCookie {
  /** The seal, its chunks joined; `undefined` when the first cookie is absent. */
  readonly value: string | undefined;
  /** The chunks read, in order (`name`, `name.1`, … up to the first gap). */
  readonly parts: readonly string[];
  /** Every cookie of this session present in the request (`name`, `name.1`, …), to clear. */
  readonly names: readonly string[];
}

const NO_COOKIE: IncomingSessionCookie = { value: undefined, parts: [], names: [] };
// Seals are base64url: nothing to decode, and no decodeURIComponent on attacker input.
const AS_IS = { decode: (value: string) => value, encode: (value: string) => value };

// Chunk indexes this library can ever have written (maxChunks is at most 20): anything else
// is not ours to clear, and clearing it would let a request inflate its response.
const CHUNK_INDEX = /^(?:[1-9]|1\d)$/;

/** The name of chunk `index` of cookie `name`: `name`, `name.1`, `name.2`, … */
export function chunkName(name: string, index: number): string {
  return index === 0 ? name : `${name}.${index}`;
}

/**
 * Reads cookie `name` and its chunks. When a name appears twice in one header the first one
 * wins (browsers send the most specific path first), so the outcome never depends on order
 * games beyond that.
 */
export function readSessionCookie(
  header: string | undefined,
  name: string,
  maxChunks: number,
): IncomingSessionCookie {
  if (!header || !header.includes(name)) return NO_COOKIE;
  const cookies = parse(header, AS_IS);
  const names: string[] = [];
  const prefix = `${name}.`;
  for (const key of Object.keys(cookies)) {
    if (key === name || (key.startsWith(prefix) && CHUNK_INDEX.test(key.slice(prefix.length))))
      names.push(key);
  }
  const first = cookies[name];
  if (first === undefined) return { value: undefined, parts: [], names };
  const parts = [first];
  for (let i = 1; i < maxChunks; i++) {
    const part = cookies[chunkName(name, i)];
    if (part === undefined) break;
    parts.push(part);
  }
  return { value: parts.join(''), parts, names };
}

/**
 * Splits a seal over cookies `name`, `name.1`, … so that each `name=value` fits the browser's
 * limit. @throws SessionTooLargeError when more than `maxChunks` cookies would be needed.
 */
export function splitIntoChunks(name: string, value: string, maxChunks: number): string[] {
  const chunks: string[] = [];
  // Both numbers count bytes of `name=value` over `maxChunks` cookies, so that `size > limit`
  // exactly when the value does not fit (with one cookie: the `name=value` length vs 4096).
  let names = 0;
  for (let i = 0; i < maxChunks; i++) names += chunkName(name, i).length + 1;
  const limit = maxChunks * COOKIE_LIMIT;
  const size = names + value.length;
  if (size > limit) throw new SessionTooLargeError(name, size, limit, maxChunks);
  for (let offset = 0, i = 0; offset < value.length || i === 0; i++) {
    const room = COOKIE_LIMIT - chunkName(name, i).length - 1;
    chunks.push(value.slice(offset, offset + room));
    offset += room;
  }
  return chunks;
}

/** One `Set-Cookie` line. */
export function setCookieLine(name: string, value: string, attributes: SerializeOptions): string {
  return serialize(name, value, { ...attributes, encode: AS_IS.encode });
}

/** A `Set-Cookie` line that makes the browser drop cookie `name` now. */
export function clearCookieLine(name: string, attributes: SerializeOptions): string {
  return serialize(name, '', { ...attributes, expires: new Date(0), maxAge: 0 });
}

/**
 * Adds `Set-Cookie` lines to the response, keeping what others queued. With `replace`, earlier
 * lines for the same cookie names are dropped first (cookie-session's `overwrite`).
 */
export function appendSetCookies(
  res: ServerResponse,
  lines: readonly string[],
  replace?: ReadonlySet<string>,
): void {
  const previous = res.getHeader('set-cookie');
  let all: string[] =
    previous === undefined ? [] : Array.isArray(previous) ? [...previous] : [String(previous)];
  if (replace) all = all.filter((line) => !replace.has(line.slice(0, line.indexOf('=')).trim()));
  all.push(...lines);
  res.setHeader('set-cookie', all);
}
