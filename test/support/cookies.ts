/**
 * One reading of `Set-Cookie` for every suite: parse the lines of a response, and keep the
 * cookies a browser would send back (one origin, path `/`).
 */

/** One parsed `Set-Cookie` line; attribute names lower-cased (`true` when valueless). */
export interface SetCookie {
  name: string;
  value: string;
  attributes: Record<string, string | true>;
  raw: string;
}

/** Anything with response headers: a supertest `Response`, a node `IncomingMessage`. */
export interface HasHeaders {
  headers: Record<string, unknown>;
}

export function parseSetCookie(raw: string): SetCookie {
  const [pair, ...attrs] = raw.split(';');
  const eq = pair.indexOf('=');
  const attributes: Record<string, string | true> = {};
  for (const attr of attrs) {
    const at = attr.indexOf('=');
    if (at < 0) attributes[attr.trim().toLowerCase()] = true;
    else attributes[attr.slice(0, at).trim().toLowerCase()] = attr.slice(at + 1).trim();
  }
  return { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim(), attributes, raw };
}

/** The raw `Set-Cookie` lines of a response, in order. */
export function setCookieLines(res: HasHeaders): string[] {
  const header = res.headers['set-cookie'] as string[] | string | undefined;
  return header === undefined ? [] : Array.isArray(header) ? header : [header];
}

export function setCookies(res: HasHeaders): SetCookie[] {
  return setCookieLines(res).map(parseSetCookie);
}

/** Whether a `Set-Cookie` line tells the browser to drop the cookie. */
export function isClearing(cookie: SetCookie): boolean {
  const expires = cookie.attributes.expires;
  const past = typeof expires === 'string' && new Date(expires).getTime() <= Date.now();
  return cookie.value === '' || cookie.attributes['max-age'] === '0' || past;
}

/** The cookies a browser would hold and send back. */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  /** Starts from a `Cookie` request header (`a=1; b=2`). */
  static from(header = ''): CookieJar {
    const jar = new CookieJar();
    for (const pair of header.split(';')) {
      const eq = pair.indexOf('=');
      if (eq > 0) jar.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
    return jar;
  }

  /** Applies a response's `Set-Cookie` lines (an expired or emptied cookie is dropped). */
  update(res: HasHeaders): this {
    for (const cookie of setCookies(res)) {
      if (isClearing(cookie)) this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
    return this;
  }

  get(name: string): string | undefined {
    return this.cookies.get(name);
  }

  names(): string[] {
    return [...this.cookies.keys()];
  }

  /** The `Cookie` request header (empty when the jar is). */
  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

/** The `Cookie` request header a browser would send back after this response. */
export function cookieHeader(res: HasHeaders, previous = ''): string {
  return CookieJar.from(previous).update(res).header();
}
