/** Requests and Cookie headers the hostile-input suites share. */
import { httpRequest, type HttpResult } from '../fixtures/http.js';
import type { LiveApp } from '../fixtures/live-app.js';

export interface ReadBody {
  data: Record<string, unknown>;
  isNew: boolean;
}

/** GET /read with `cookie`; the answer must be a 200. */
export async function read(
  app: LiveApp,
  cookie?: string,
): Promise<HttpResult & { json: ReadBody }> {
  const res = await httpRequest(
    app.port,
    '/read',
    cookie === undefined ? {} : { headers: { cookie } },
  );
  expect(res.status).toBe(200);
  return { ...res, json: JSON.parse(res.body) as ReadBody };
}

/** An empty new session, and no Set-Cookie: a cookie that is not read is left alone. */
export function expectEmpty(res: { json: ReadBody } & HttpResult): void {
  expect(res.json).toMatchObject({ data: {}, isNew: true });
  expect(res.setCookies).toEqual([]);
}

/** The session cookie's `name=value` pairs a response sets, in order (chunks included). */
export function sessionPairs(res: HttpResult, name: string): string[] {
  return res.setCookies
    .map((line) => line.split(';', 1)[0])
    .filter((pair) => {
      const cookieName = pair.slice(0, pair.indexOf('='));
      return cookieName === name || cookieName.startsWith(`${name}.`);
    });
}

/** `count` distinct cookie names of two characters (never containing "session"). */
export function shortNames(count: number): string[] {
  const first = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  const second = `${first}0123456789`;
  const names: string[] = [];
  for (const a of first) for (const b of second) if (names.length < count) names.push(a + b);
  expect(names).toHaveLength(count);
  return names;
}

/** Filler cookies making a header of exactly `length` characters, with `session` placed as asked. */
export function padded(length: number, session: string | undefined, at: 'start' | 'end'): string {
  const pairs: string[] = [];
  let size = session === undefined ? 0 : session.length + 2;
  for (let i = 0; size < length; i++) {
    const pair = `filler${i}=${'x'.repeat(200)}`;
    pairs.push(pair);
    size += pair.length + 2;
  }
  const header = () =>
    (session === undefined
      ? pairs
      : at === 'start'
        ? [session, ...pairs]
        : [...pairs, session]
    ).join('; ');
  const over = header().length - length;
  const last = pairs[pairs.length - 1];
  pairs[pairs.length - 1] =
    over >= 0 ? last.slice(0, last.length - over) : last + 'x'.repeat(-over);
  const result = header();
  expect(result).toHaveLength(length);
  return result;
}
