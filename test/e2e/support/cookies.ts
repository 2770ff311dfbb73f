import type { Response } from 'supertest';

/** One parsed `Set-Cookie` line. */
export interface SetCookie {
  name: string;
  value: string;
  attributes: Record<string, string | true>;
  raw: string;
}

export function setCookies(res: Response): SetCookie[] {
  const header = res.headers['set-cookie'] as unknown as string[] | string | undefined;
  const lines = header === undefined ? [] : Array.isArray(header) ? header : [header];
  return lines.map((raw) => {
    const [pair, ...attrs] = raw.split(';');
    const eq = pair.indexOf('=');
    const attributes: Record<string, string | true> = {};
    for (const attr of attrs) {
      const [key, ...rest] = attr.trim().split('=');
      attributes[key.toLowerCase()] = rest.length ? rest.join('=') : true;
    }
    return { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1), attributes, raw };
  });
}

/** The `Cookie` request header a browser would send back after this response. */
export function cookieHeader(res: Response, previous = ''): string {
  const jar = new Map<string, string>();
  for (const pair of previous
    .split(';')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const eq = pair.indexOf('=');
    jar.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
  for (const cookie of setCookies(res)) {
    const expired = cookie.attributes['max-age'] === '0' || cookie.value === '';
    if (expired) jar.delete(cookie.name);
    else jar.set(cookie.name, cookie.value);
  }
  return [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
}
