import { jest } from '@jest/globals';
import { CookieSessionOptionsError } from '../../lib/errors.js';
import type { CookieSessionOptions } from '../../lib/options/cookie-session-options.interface.js';
import { DEFAULT_MAX_AGE, resolveOptions } from '../../lib/options/resolve-options.js';

const SECRET = 'Vq3xN8rT2mLw9pZs4kYb7hJd1fGc6eRu';
const SECRET_2 = 'Hn5tQ2wE8yUi4oPa7sDf1gJk3lZx9cVb';
const NOW = Date.UTC(2030, 5, 15);

const resolve = (extra: Record<string, unknown> = {}) =>
  resolveOptions({ secret: SECRET, ...extra } as CookieSessionOptions).options;

/** Asserts that `input` fails on `option`, with a message naming it and holding `fragments`. */
function expectFailure(input: unknown, option: string, ...fragments: string[]): void {
  let error: unknown;
  try {
    resolveOptions(input as CookieSessionOptions);
  } catch (thrown) {
    error = thrown;
  }
  expect(error).toBeInstanceOf(CookieSessionOptionsError);
  const { message } = error as CookieSessionOptionsError;
  expect((error as CookieSessionOptionsError).option).toBe(option);
  expect(message).toContain(`option "${option}"`);
  for (const fragment of fragments) expect(message).toContain(fragment);
}

describe('resolveOptions', () => {
  beforeEach(() => jest.useFakeTimers({ now: NOW }));
  afterEach(() => jest.useRealTimers());

  describe('defaults', () => {
    it.each([
      ['name', '__Host-session'],
      ['maxAge', DEFAULT_MAX_AGE],
      ['autoRenew', true],
      ['renewAfter', undefined],
      ['validateInterval', 0],
      ['sessionCookie', false],
      ['path', '/'],
      ['httpOnly', true],
      ['secure', true],
      ['secureProxy', false],
      ['sameSite', 'lax'],
      ['overwrite', true],
      ['saveUninitialized', false],
      ['maxChunks', 1],
      ['globalInterceptor', true],
      ['absoluteTimeout', undefined],
      ['expires', undefined],
      ['domain', undefined],
      ['legacy', undefined],
    ])('defaults %s to %p', (option, value) => {
      expect(resolve()[option as keyof ReturnType<typeof resolve>]).toBe(value);
    });

    it('turns CSRF protection on by default', () => {
      expect(resolve().csrf).toBeDefined();
      expect(resolve({ csrf: false }).csrf).toBeUndefined();
    });

    it.each([
      ['secure false', { secure: false }],
      ["secure 'auto'", { secure: 'auto' }],
      ['a path other than /', { path: '/app' }],
      ['a domain', { domain: 'example.com' }],
    ])("names the cookie 'session' with %s, where __Host- is not allowed", (_, extra) => {
      expect(resolve(extra).name).toBe('session');
    });

    it('hands the secrets back apart from the options, which hold none', () => {
      const { options, secrets } = resolveOptions({ keys: [SECRET, SECRET_2] });
      expect(secrets).toEqual([SECRET, SECRET_2]);
      expect(JSON.stringify(options)).not.toContain(SECRET.slice(0, 8));
      expect(Object.isFrozen(options)).toBe(true);
    });

    it('takes timeout as an alias of maxAge', () => {
      expect(resolve({ timeout: 60_000 }).maxAge).toBe(60_000);
    });
  });

  describe('rules across options', () => {
    it('refuses maxAge and timeout together, and expires with either', () => {
      const expires = new Date(NOW + 1000);
      expectFailure({ secret: SECRET, maxAge: 1000, timeout: 1000 }, 'timeout', 'maxAge');
      expectFailure({ secret: SECRET, expires, maxAge: 1000 }, 'expires', 'maxAge');
      expectFailure({ secret: SECRET, expires, timeout: 1000 }, 'expires', 'timeout');
    });

    it('refuses a new cookie named as an old one, saying how to name it when the default is "session"', () => {
      const legacy = { cookieSession: { keys: ['old key'] } };
      expectFailure({ secret: SECRET, domain: 'example.com', legacy }, 'legacy', `e.g. 'sid'`);
      expectFailure({ secret: SECRET, name: 'session', legacy }, 'legacy', 'another "name"');
    });

    it('refuses an old cookie named like a chunk of the new one, which every write would expire', () => {
      const legacy = { cookieSession: { keys: ['old key'], name: 'sid.1' } };
      expectFailure({ secret: SECRET, name: 'sid', maxChunks: 2, legacy }, 'legacy', '"sid.1"');
      // A name the session cookie never uses for a chunk is fine.
      const other = { cookieSession: { keys: ['old key'], name: 'sid.old' } };
      expect(() => resolveOptions({ secret: SECRET, name: 'sid', legacy: other })).not.toThrow();
    });

    it('refuses secret and keys together, and requires one of them with a way to generate it', () => {
      expectFailure({ secret: SECRET, keys: [SECRET_2] }, 'secret', 'keys');
      expectFailure({}, 'secret', 'required', 'randomBytes', 'keys');
    });

    it('refuses the same key twice, also as a string and a Buffer of the same bytes', () => {
      expectFailure({ keys: [SECRET, SECRET] }, 'keys', 'twice');
      expectFailure({ keys: [SECRET, SECRET_2, Buffer.from(SECRET)] }, 'keys', 'twice');
    });

    it('refuses an expires date that has passed, or one beyond what a seal can hold', () => {
      expectFailure({ secret: SECRET, expires: new Date(NOW) }, 'expires', 'past');
      expectFailure({ secret: SECRET, expires: new Date(2 ** 48) }, 'expires');
      expect(resolve({ expires: new Date(2 ** 48 - 1) }).expires?.getTime()).toBe(2 ** 48 - 1);
    });

    it("refuses sameSite 'none' or partitioned without secure: true ('auto' drops Secure on plain HTTP)", () => {
      for (const secure of [false, 'auto'] as const) {
        expectFailure({ secret: SECRET, sameSite: 'none', secure }, 'sameSite', 'Secure');
        expectFailure({ secret: SECRET, partitioned: true, secure }, 'partitioned', 'Secure');
      }
      expect(resolve({ sameSite: 'none', partitioned: true, secure: true })).toMatchObject({
        sameSite: 'none',
        partitioned: true,
      });
    });

    it.each([
      ['secure false', { secure: false }],
      ["secure 'auto'", { secure: 'auto' }],
      ['a path other than /', { path: '/app' }],
      ['a domain', { domain: 'example.com' }],
    ])('refuses a __Host- name with %s, whatever the case of the prefix', (_, extra) => {
      for (const name of ['__Host-sid', '__host-sid', '__HOST-sid']) {
        expectFailure({ secret: SECRET, name, ...extra }, 'name', '__Host-', 'path "/"');
      }
    });

    it('accepts __Secure- with secure true and refuses it otherwise', () => {
      expect(resolve({ name: '__Secure-sid', path: '/app', domain: 'example.com' }).name).toBe(
        '__Secure-sid',
      );
      expectFailure({ secret: SECRET, name: '__Secure-sid', secure: 'auto' }, 'name', '__Secure-');
      expectFailure({ secret: SECRET, name: '__secure-sid', secure: false }, 'name', '__Secure-');
    });
  });

  describe('name, path and domain, judged as a cookie would be', () => {
    it.each(['sid', 'express:sess', 'my-app.session', "a!#$%&'*+-.^_`|~z", 'x'.repeat(200)])(
      'accepts the name %p',
      (name) => {
        expect(resolve({ name }).name).toBe(name);
      },
    );

    it.each(['a;b', 'a=b', 'my session', 'a\nb', 'a\r\nSet-Cookie: x=y', '', 'séssion', 'a\tb'])(
      'refuses the name %j, quoting it escaped',
      (name) => {
        expectFailure({ secret: SECRET, name }, 'name', JSON.stringify(name));
      },
    );

    it('refuses a name longer than 200 characters', () => {
      expectFailure({ secret: SECRET, name: 'x'.repeat(201) }, 'name', '200');
    });

    it.each(['/app;Domain=evil.com', '/app\r\nSet-Cookie: x=y', '/a\0', '/café', '/a<b'])(
      'refuses the path %j',
      (path) => {
        expectFailure({ secret: SECRET, path }, 'path');
      },
    );

    it.each([
      'evil.com; Secure',
      'example .com',
      'https://example.com',
      'example.com:443',
      'ex_ample.com',
      'example..com',
    ])('refuses the domain %j', (domain) => {
      expectFailure({ secret: SECRET, domain }, 'domain');
    });

    it('quotes a long value cut short', () => {
      const long = `${'x'.repeat(20)}${'TAIL'.repeat(10)};`;
      try {
        resolve({ name: long });
      } catch (error) {
        expect((error as Error).message).not.toContain('TAIL'.repeat(10));
      }
      expect(() => resolve({ name: long })).toThrow(CookieSessionOptionsError);
    });
  });

  describe('the options value itself', () => {
    it.each([
      ['undefined', undefined],
      ['null', null],
      ['a string', SECRET],
      ['an array', [SECRET]],
    ])('refuses %s', (_, input) => {
      expectFailure(input, 'options', 'object', 'secret');
    });
  });
});
