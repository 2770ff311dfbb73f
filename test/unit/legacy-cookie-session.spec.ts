import { createRequire } from 'node:module';
import { inspect } from 'node:util';
import { CookieSessionReader } from '../../lib/legacy/cookie-session-reader.js';
import {
  logIn,
  sessionSeenBy,
  startCookieSessionApp,
  type CookieSessionApp,
} from '../legacy/cookie-session-app.js';

const require = createRequire(import.meta.url);
const Keygrip = require('keygrip') as (keys: (string | Buffer)[]) => {
  sign(data: string): string;
};

const KEY = 'the old app key';
const OLD_KEY = 'the key before it';
const ADA = { id: 1, name: 'Ada' };

/** A getter over a name → value map, as the request path hands one to a reader. */
const getter = (cookies: Map<string, string>) => (name: string) => cookies.get(name);

/** Cookies `name` and `name.sig` for `value`, signed with `key` as cookie-session would. */
function signed(value: string, key = KEY, name = 'session', signedName = name) {
  const signature = Keygrip([key]).sign(`${signedName}=${value}`);
  return new Map([
    [name, value],
    [`${name}.sig`, signature],
  ]);
}

const base64 = (text: string) => Buffer.from(text).toString('base64');

describe('CookieSessionReader on cookies the cookie-session package wrote', () => {
  const apps: CookieSessionApp[] = [];
  const start = async (options: { keys: (string | Buffer)[]; name?: string }) => {
    const app = await startCookieSessionApp(options);
    apps.push(app);
    return app;
  };
  afterAll(() => Promise.all(apps.map((app) => app.close())));

  it('reads a 2.x session under the default name "session"', async () => {
    const cookies = await logIn(await start({ keys: [KEY] }), ADA);
    expect([...cookies.keys()]).toEqual(['session', 'session.sig']);
    const reader = new CookieSessionReader({ keys: [KEY] });
    expect(reader.read(getter(cookies))).toEqual({ data: { user: ADA } });
    expect(reader).toMatchObject({ names: ['session', 'session.sig'], scope: { path: '/' } });
  });

  it('reads a 1.x-style session under the name "express:sess"', async () => {
    const cookies = await logIn(await start({ keys: [KEY], name: 'express:sess' }), ADA);
    const reader = new CookieSessionReader({ keys: [KEY], name: 'express:sess' });
    expect(reader.names).toEqual(['express:sess', 'express:sess.sig']);
    expect(reader.read(getter(cookies))?.data).toEqual({ user: ADA });
  });

  it('reads a session signed with an older key kept in the ring', async () => {
    const cookies = await logIn(await start({ keys: [OLD_KEY] }), ADA);
    const reader = new CookieSessionReader({ keys: [KEY, OLD_KEY] });
    expect(reader.read(getter(cookies))?.data).toEqual({ user: ADA });
  });

  it('reads a session signed with a Buffer key', async () => {
    const key = Buffer.from('a0b1c2d3e4f5', 'hex');
    const cookies = await logIn(await start({ keys: [key] }), ADA);
    expect(new CookieSessionReader({ keys: [key] }).read(getter(cookies))?.data).toEqual({
      user: ADA,
    });
  });

  it('refuses a session signed with keys it was not given', async () => {
    const cookies = await logIn(await start({ keys: [KEY] }), ADA);
    const reader = new CookieSessionReader({ keys: ['another key', OLD_KEY] });
    expect(reader.read(getter(cookies))).toBeUndefined();
  });

  it('never reads a session without its signature cookie', async () => {
    const cookies = await logIn(await start({ keys: [KEY] }), ADA);
    cookies.delete('session.sig');
    expect(new CookieSessionReader({ keys: [KEY] }).read(getter(cookies))).toBeUndefined();
  });

  it('refuses a value changed after signing, which the old app refuses too', async () => {
    const app = await start({ keys: [KEY] });
    const cookies = await logIn(app, ADA);
    const forged = base64(JSON.stringify({ user: { id: 2, name: 'Admin' } }));
    cookies.set('session', forged);
    expect(new CookieSessionReader({ keys: [KEY] }).read(getter(cookies))).toBeUndefined();
    expect(await sessionSeenBy(app, cookies)).toEqual({});
  });

  it('refuses a changed signature', async () => {
    const cookies = await logIn(await start({ keys: [KEY] }), ADA);
    const signature = cookies.get('session.sig')!;
    const flipped = (signature[0] === 'A' ? 'B' : 'A') + signature.slice(1);
    cookies.set('session.sig', flipped);
    expect(new CookieSessionReader({ keys: [KEY] }).read(getter(cookies))).toBeUndefined();
  });

  it('refuses a signature made for another cookie name', () => {
    const value = base64(JSON.stringify({ user: ADA }));
    const reader = new CookieSessionReader({ keys: [KEY] });
    expect(reader.read(getter(signed(value, KEY, 'session', 'other')))).toBeUndefined();
    expect(reader.read(getter(signed(value, KEY, 'session', 'session')))?.data).toEqual({
      user: ADA,
    });
  });

  it('refuses a session moved to another cookie name', async () => {
    const cookies = await logIn(await start({ keys: [KEY] }), ADA);
    const moved = new Map([
      ['other', cookies.get('session')!],
      ['other.sig', cookies.get('session.sig')!],
    ]);
    expect(new CookieSessionReader({ keys: [KEY], name: 'other' }).read(getter(moved))).toBe(
      undefined,
    );
  });

  it.each(['[1,2]', 'null', '42', '"text"', 'true'])(
    'refuses signed JSON that is not an object: %s',
    (json) => {
      const reader = new CookieSessionReader({ keys: [KEY] });
      expect(reader.read(getter(signed(base64(json))))).toBeUndefined();
    },
  );

  it.each([
    ['characters outside base64', '!!!not*base64!!!'],
    ['base64 without its padding', base64('{"a":1}').replace(/=+$/, '')],
    ['URL-safe base64', Buffer.from('{"a":"~~~>"}').toString('base64url')],
    ['base64 of text that is not JSON', base64('{"a":')],
    ['an empty value', ''],
  ])('refuses a signed value holding %s', (_label, value) => {
    const reader = new CookieSessionReader({ keys: [KEY] });
    expect(reader.read(getter(signed(value)))).toBeUndefined();
  });

  it('refuses a signed value longer than 8192 characters before decoding it', () => {
    const json = JSON.stringify({ pad: 'x'.repeat(6200) });
    const reader = new CookieSessionReader({ keys: [KEY] });
    expect(base64(json).length).toBeGreaterThan(8192);
    expect(reader.read(getter(signed(base64(json))))).toBeUndefined();
    const fits = JSON.stringify({ pad: 'x'.repeat(6000) });
    expect(reader.read(getter(signed(base64(fits))))?.data).toEqual({ pad: 'x'.repeat(6000) });
  });

  it('answers undefined when reading the cookies throws', () => {
    const reader = new CookieSessionReader({ keys: [KEY] });
    expect(
      reader.read(() => {
        throw new Error('unreadable header');
      }),
    ).toBeUndefined();
  });

  it('keeps its keys out of util.inspect and JSON.stringify', () => {
    const bufferKey = Buffer.from('buffer key bytes 0123456789');
    const reader = new CookieSessionReader({ keys: [KEY, bufferKey] });
    const views = [
      inspect(reader, { depth: Infinity, showHidden: true }),
      JSON.stringify(reader),
      String(reader),
    ];
    for (const view of views) {
      expect(view).not.toContain(KEY);
      expect(view).not.toContain('buffer key bytes');
      expect(view).not.toContain(bufferKey.toString('hex'));
      expect(view).not.toContain(Buffer.from(KEY).toString('hex'));
      expect(view).not.toMatch(/\b62 75 66/); // Buffer inspection of "buf…"
    }
    // The reader is visible (its names) while its keys are not.
    expect(views[0]).toContain('session.sig');
  });
});
