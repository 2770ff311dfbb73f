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
