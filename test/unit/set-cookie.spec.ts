import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import {
  appendSetCookies,
  clearCookieLine,
  markPrivate,
  setCookieLine,
  type CookieAttributes,
} from '../../lib/cookie/set-cookie.js';

const T0 = Date.UTC(2030, 0, 1, 12, 0, 0);
const ATTRIBUTES: CookieAttributes = { path: '/', httpOnly: true, secure: true, sameSite: 'lax' };

function response(): ServerResponse {
  return new ServerResponse(new IncomingMessage(new Socket()));
}

describe('setCookieLine', () => {
  it('writes the value as it is, with the attributes, and no expiry for a browser-session cookie', () => {
    expect(setCookieLine('session', 'ab-_9', ATTRIBUTES, undefined, T0)).toBe(
      'session=ab-_9; Path=/; HttpOnly; Secure; SameSite=Lax',
    );
  });

  it('rounds Max-Age and Expires up to the next whole second, never before the seal expires', () => {
    const line = setCookieLine('s', 'v', ATTRIBUTES, T0 + 1500, T0);
    expect(line).toContain('Max-Age=2');
    expect(line).toContain(`Expires=${new Date(T0 + 2000).toUTCString()}`);
    const exact = setCookieLine('s', 'v', ATTRIBUTES, T0 + 3000, T0 + 1);
    expect(exact).toContain('Max-Age=3');
    expect(exact).toContain(`Expires=${new Date(T0 + 3000).toUTCString()}`);
  });

  it('writes each expiry its own date when expiries alternate between seconds', () => {
    for (const expiresAt of [T0 + 1000, T0 + 1000, T0 + 2000, T0 + 1000, T0 + 86_400_000]) {
      expect(setCookieLine('s', 'v', ATTRIBUTES, expiresAt, T0)).toContain(
        `Expires=${new Date(expiresAt).toUTCString()}`,
      );
    }
  });

  it('never writes a negative Max-Age', () => {
    expect(setCookieLine('s', 'v', ATTRIBUTES, T0 - 5000, T0)).toContain('Max-Age=0');
  });

  it('writes the optional attributes it is given', () => {
    const line = setCookieLine(
      's',
      'v',
      {
        ...ATTRIBUTES,
        domain: 'example.com',
        sameSite: 'none',
        partitioned: true,
        priority: 'high',
      },
      undefined,
      T0,
    );
    for (const part of ['Domain=example.com', 'SameSite=None', 'Partitioned', 'Priority=High']) {
      expect(line).toContain(part);
    }
  });
});

describe('clearCookieLine', () => {
  it('expires the cookie at once, with the same path and domain', () => {
    const line = clearCookieLine('session.1', {
      ...ATTRIBUTES,
      path: '/app',
      domain: 'example.com',
    });
    expect(line).toMatch(/^session\.1=;/);
    expect(line).toContain('Max-Age=0');
    expect(line).toContain('Expires=Thu, 01 Jan 1970 00:00:00 GMT');
    expect(line).toContain('Path=/app');
    expect(line).toContain('Domain=example.com');
  });
});

describe('appendSetCookies', () => {
  it('keeps the cookies others queued, a single line or several, and adds its own after them', () => {
    const single = response();
    single.setHeader('set-cookie', 'theme=dark');
    appendSetCookies(single, ['session=abc'], false);
    expect(single.getHeader('set-cookie')).toEqual(['theme=dark', 'session=abc']);

    const none = response();
    appendSetCookies(none, ['session=abc'], true);
    expect(none.getHeader('set-cookie')).toEqual(['session=abc']);
  });

  it('keeps earlier lines of the same name without overwrite', () => {
    const res = response();
    res.setHeader('set-cookie', ['session=old']);
    appendSetCookies(res, ['session=new'], false);
    expect(res.getHeader('set-cookie')).toEqual(['session=old', 'session=new']);
  });

  it('with overwrite, drops earlier lines of the names it sets, and only those', () => {
    const res = response();
    res.setHeader('set-cookie', [
      'session=old; Path=/',
      'theme=dark',
      'session.1=oldchunk',
      'sessionx=keep',
      'other=session=1',
      ' session = spaced',
    ]);
    appendSetCookies(res, ['session=new', 'session.1=; Max-Age=0'], true);
    expect(res.getHeader('set-cookie')).toEqual([
      'theme=dark',
      'sessionx=keep',
      'other=session=1',
      'session=new',
      'session.1=; Max-Age=0',
    ]);
  });

  it('does not mutate the array it found on the response', () => {
    const res = response();
    const queued = ['session=old'];
    res.setHeader('set-cookie', queued);
    appendSetCookies(res, ['session=new'], true);
    expect(queued).toEqual(['session=old']);
  });
});

describe('markPrivate', () => {
  it.each([
    [undefined, 'private'],
    ['max-age=60', 'private, max-age=60'],
    ['public, max-age=60', 'private, max-age=60'],
    ['PUBLIC', 'private'],
    ['private', 'private'],
    ['no-store', 'no-store'],
    ['private="set-cookie"', 'private="set-cookie"'],
    ['private="X-Internal, Set-Cookie"', 'private="X-Internal, Set-Cookie"'],
    ['private=set-cookie', 'private=set-cookie'],
    // Naming other fields keeps only those from shared caches: the Set-Cookie would be stored.
    ['public, max-age=600, private="x-internal"', 'private, max-age=600, private="x-internal"'],
    ['private="x-set-cookie"', 'private, private="x-set-cookie"'],
    ['max-age=0, No-Store', 'max-age=0, No-Store'],
  ])('turns Cache-Control %p into %p', (before, after) => {
    const res = response();
    if (before !== undefined) res.setHeader('cache-control', before);
    markPrivate(res);
    expect(res.getHeader('cache-control')).toBe(after);
  });

  it('does not take a directive that merely contains "private" for one', () => {
    const res = response();
    res.setHeader('cache-control', 'x-notprivate');
    markPrivate(res);
    expect(res.getHeader('cache-control')).toBe('private, x-notprivate');
  });
});
