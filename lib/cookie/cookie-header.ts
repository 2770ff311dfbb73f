/**
 * Reads the cookies a request carried, at cookie boundaries only: a name counts when a
 * `name=value` pair starts with it, never when it appears inside another cookie's name or value.
 * Only the names asked for are kept, so a long hostile header costs one pass over its text.
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
      const name = header.slice(start, eq).trim();
      if (accept(name)) {
        const value = header.slice(eq + 1, end).trim();
        const values = found.get(name);
        if (values) values.push(value);
        else found.set(name, [value]);
      }
    }
    start = end + 1;
  }
  return found;
}
