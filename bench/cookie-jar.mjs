// What a browser keeps between requests, reduced to what the bench needs: one jar per connection,
// updated from every response's Set-Cookie lines and sent back as one Cookie header. Attributes
// (Secure, __Host- prefix, Path) are not enforced: the bench talks plain HTTP to 127.0.0.1.
export class CookieJar {
  #cookies = new Map();
  #header = '';

  /** Applies the Set-Cookie lines of a response (a string, an array or undefined). */
  update(setCookie) {
    if (!setCookie) return;
    for (const line of Array.isArray(setCookie) ? setCookie : [setCookie]) this.#apply(line);
    this.#header = [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  #apply(line) {
    const [pair, ...attributes] = line.split(';');
    const eq = pair.indexOf('=');
    if (eq <= 0) return;
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    const expired = attributes.some((attribute) => {
      const [key, val = ''] = attribute.split('=', 2).map((s) => s.trim());
      const lower = key.toLowerCase();
      if (lower === 'max-age') return Number(val) <= 0;
      return lower === 'expires' && Date.parse(val) <= Date.now();
    });
    if (value === '' || expired) this.#cookies.delete(name);
    else this.#cookies.set(name, value);
  }

  /** The Cookie header value to send ('' when the jar is empty). */
  get header() {
    return this.#header;
  }

  get(name) {
    return this.#cookies.get(name);
  }

  names() {
    return [...this.#cookies.keys()];
  }
}

/** The Set-Cookie value(s) of a header object whose names may be in any case. */
export function setCookieOf(headers) {
  for (const key in headers) if (key.toLowerCase() === 'set-cookie') return headers[key];
  return undefined;
}
