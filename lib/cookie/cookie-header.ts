/**
 * Reads the cookies a request carried, at cookie boundaries only: a name counts when a
 * `name=value` pair starts with it, never when it appears inside another cookie's name or value.
 * Only the names asked for are kept, so a long hostile header costs one pass over its text.
 * Only spaces and tabs around a name or value are dropped (RFC 6265): a name that differs from
 * ours by any other character, such as a no-break space a sibling subdomain put in front of
 * `__Host-session` (browsers do not hold such a cookie to the `__Host-` rules), is another name.
 */
export function findCookies(
  header: string | undefined,
  accept: (name: string) => boolean,
): Map<string, string[]> {
  const found = new Map<string, string[]>();
  if (!header) return found;
  let start = 0;
  // The next '=' at or after `start`, searched again only once passed: pieces without one
  // (`a;a;a;…`) would otherwise make every search run to the end of the header.
  let eq = -1;
  while (start < header.length) {
    if (eq < start) {
      eq = header.indexOf('=', start);
      if (eq === -1) break; // no pair left
    }
    let end = header.indexOf(';', start);
    if (end === -1) end = header.length;
    if (eq < end) {
      const name = trimmed(header, start, eq);
      if (accept(name)) {
        const value = trimmed(header, eq + 1, end);
        const values = found.get(name);
        if (values) values.push(value);
        else found.set(name, [value]);
      }
    }
    start = end + 1;
  }
  return found;
}

/** `header` from `start` to `end`, without the spaces and tabs at either end. */
function trimmed(header: string, start: number, end: number): string {
  while (start < end && isBlank(header.charCodeAt(start))) start++;
  while (end > start && isBlank(header.charCodeAt(end - 1))) end--;
  return header.slice(start, end);
}

function isBlank(code: number): boolean {
  return code === 0x20 || code === 0x09;
}

/**
 * The `Cookie` header a client would send back: a header given as is, or a response's
 * `Set-Cookie` lines (supertest's `res.headers['set-cookie']`), whose `name=value` pairs are
 * kept but for lines that expire their cookie; a name set twice keeps its last value, as a
 * browser does.
 * @throws TypeError for anything but a string, an array of strings or `undefined`.
 */
export function cookieHeaderFrom(header: unknown, now: number): string | undefined {
  if (header === undefined || typeof header === 'string') return header;
  if (!Array.isArray(header) || header.some((line) => typeof line !== 'string')) {
    throw new TypeError(
      'Expected a Cookie header (a string), Set-Cookie lines (an array of strings) or undefined',
    );
  }
  const pairs = new Map<string, string>();
  for (const line of header as string[]) {
    const [pair, ...attributes] = line.split(';');
    const eq = pair.indexOf('=');
    if (eq < 0) continue;
    const name = pair.slice(0, eq).trim();
    if (expires(attributes, now)) pairs.delete(name);
    else pairs.set(name, pair.trim());
  }
  return [...pairs.values()].join('; ');
}

/**
 * A date a browser reads in `Expires`: one with a time and a month (RFC 6265 §5.1.1), which
 * `Date.parse` then reads as a browser does; `0` or `-1` are no dates there.
 */
function isCookieDate(value: string): boolean {
  return (
    /\b\d{1,2}:\d{1,2}:\d{1,2}\b/.test(value) &&
    /jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec/i.test(value) &&
    !Number.isNaN(Date.parse(value))
  );
}

/**
 * Whether a `Set-Cookie` line's attributes drop its cookie, read as browsers do (RFC 6265
 * §5.2.1–2): a `Max-Age` of digits (with an optional `-`) wins over `Expires`, the last valid
 * one of each counts, and values that do not parse are ignored.
 */
function expires(attributes: readonly string[], now: number): boolean {
  let maxAge: number | undefined;
  let expiresAt: number | undefined;
  for (const attribute of attributes) {
    const eq = attribute.indexOf('=');
    if (eq < 0) continue;
    const name = attribute.slice(0, eq).trim().toLowerCase();
    const value = attribute.slice(eq + 1).trim();
    if (name === 'max-age' && /^-?\d+$/.test(value)) maxAge = Number(value);
    else if (name === 'expires' && isCookieDate(value)) expiresAt = Date.parse(value);
  }
  if (maxAge !== undefined) return maxAge <= 0;
  return expiresAt !== undefined && expiresAt <= now;
}
