import { jest } from '@jest/globals';
import type { CookieSessionOptions } from '../../lib/options/cookie-session-options.interface.js';
import {
  CookieSessionOptionsError,
  DEFAULT_MAX_AGE,
  MAX_DURATION,
  MIN_SECRET_LENGTH,
  RESOLVED,
  resolveOptions,
} from '../../lib/options/resolve-options.js';

const SECRET = 'options-test-secret-0123456789abcdef';
const SECRET_2 = 'options-test-secret-fedcba9876543210';
const NOW = Date.UTC(2030, 5, 15);

/** Resolves `{ secret, ...extra }`. */
const resolve = (extra: Record<string, unknown> = {}) =>
  resolveOptions({ secret: SECRET, ...extra } as CookieSessionOptions);

/** The error resolveOptions throws for `input` (fails the test if it does not throw one). */
function errorFor(input: unknown): CookieSessionOptionsError {
  try {
    resolveOptions(input as CookieSessionOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(CookieSessionOptionsError);
    return error as CookieSessionOptionsError;
  }
  throw new Error(`resolveOptions accepted ${String(input)}`);
}

/** Asserts that `input` fails on `option`, with a message naming it and holding `fragments`. */
function expectFailure(input: unknown, option: string, ...fragments: string[]): void {
  const error = errorFor(input);
  expect(error.option).toBe(option);
  expect(error.message).toContain(`"${option}"`);
  for (const fragment of fragments) expect(error.message).toContain(fragment);
}

describe('resolveOptions', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: NOW });
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  describe('defaults (SPEC section 3)', () => {
    const resolved = resolve();

    it.each([
      ['name', 'session'],
      ['maxAge', 86_400_000],
      ['autoRenew', true],
      ['sessionCookie', false],
      ['path', '/'],
      ['httpOnly', true],
      ['secure', true],
      ['secureProxy', false],
      ['sameSite', 'lax'],
      ['overwrite', true],
      ['saveUninitialized', false],
      ['maxChunks', 1],
    ])('defaults %s to %p', (option, value) => {
      expect(resolved[option as keyof typeof resolved]).toBe(value);
    });

    it('leaves absoluteTimeout, expires, domain, partitioned and priority unset', () => {
      for (const option of ['absoluteTimeout', 'expires', 'domain', 'partitioned', 'priority']) {
        expect([option, resolved[option as keyof typeof resolved]]).toEqual([option, undefined]);
      }
    });

    it('exports the default maxAge of one day', () => {
      expect(DEFAULT_MAX_AGE).toBe(24 * 60 * 60 * 1000);
    });

    it('puts a single secret on the key ring', () => {
      expect(resolved.keys).toEqual([SECRET]);
    });

    it('marks the result as resolved, without an enumerable marker that a spread would copy', () => {
      expect(RESOLVED in resolved).toBe(true);
      expect(RESOLVED in { ...resolved }).toBe(false);
    });

    it('keeps every explicitly given valid value', () => {
      const expires = new Date(NOW + 60_000);
      const given = {
        name: '__Host-sid',
        expires,
        absoluteTimeout: 1000,
        autoRenew: false,
        sessionCookie: true,
        path: '/',
        httpOnly: false,
        secure: true,
        secureProxy: true,
        sameSite: 'none',
        partitioned: true,
        priority: 'high',
        overwrite: false,
        saveUninitialized: true,
        maxChunks: 20,
      } as const;
      expect(resolve(given)).toEqual({
        ...given,
        keys: [SECRET],
        maxAge: DEFAULT_MAX_AGE,
        domain: undefined,
      });
    });

    it.each(['strict', 'none', false] as const)('accepts sameSite %p', (sameSite) => {
      expect(resolve({ sameSite }).sameSite).toBe(sameSite);
    });

    it.each([false, 'auto'] as const)('accepts secure %p', (secure) => {
      expect(resolve({ secure }).secure).toBe(secure);
    });

    it('accepts sameSite none and partitioned with secure auto', () => {
      expect(resolve({ sameSite: 'none', partitioned: true, secure: 'auto' })).toMatchObject({
        sameSite: 'none',
        partitioned: true,
        secure: 'auto',
      });
    });

    it.each(['low', 'medium', 'high'] as const)('accepts priority %p', (priority) => {
      expect(resolve({ priority }).priority).toBe(priority);
    });

    it.each(['example.com', '.example.com', 'sub.example.co.uk', 'localhost', 'a-b.c'])(
      'accepts domain %p',
      (domain) => {
        expect(resolve({ domain }).domain).toBe(domain);
      },
    );

    it.each(['/', '/app', '/a/b/c', '/with space', '/x=y', '/~user/%20'])(
      'accepts path %p',
      (path) => {
        expect(resolve({ path }).path).toBe(path);
      },
    );
  });

  describe('maxAge and timeout', () => {
    it('takes maxAge', () => {
      expect(resolve({ maxAge: 60_000 }).maxAge).toBe(60_000);
    });

    it('takes timeout as an alias of maxAge', () => {
      const resolved = resolve({ timeout: 60_000 });
      expect(resolved.maxAge).toBe(60_000);
      expect(resolved).not.toHaveProperty('timeout');
    });

    it('refuses maxAge and timeout together', () => {
      expectFailure({ secret: SECRET, maxAge: 1000, timeout: 1000 }, 'timeout', 'maxAge');
    });

    it.each([
      ['zero', 0],
      ['negative', -1000],
      ['NaN', Number.NaN],
      ['Infinity', Number.POSITIVE_INFINITY],
      ['fractional', 1000.5],
      ['a string', '1000'],
      ['null', null],
      ['beyond 100 years', MAX_DURATION + 1],
      ['unsafe', Number.MAX_SAFE_INTEGER + 2],
    ])('refuses a %s maxAge, and the same timeout', (_, value) => {
      expectFailure({ secret: SECRET, maxAge: value }, 'maxAge', 'milliseconds');
      expectFailure({ secret: SECRET, timeout: value }, 'timeout', 'milliseconds');
    });

    it('accepts a maxAge of exactly 100 years', () => {
      expect(resolve({ maxAge: MAX_DURATION }).maxAge).toBe(MAX_DURATION);
    });

    it('suggests sessionCookie for maxAge: null (a browser-session cookie in express-session)', () => {
      expectFailure({ secret: SECRET, maxAge: null }, 'maxAge', 'sessionCookie');
    });
  });

  describe('absoluteTimeout', () => {
    it('takes a positive whole number of milliseconds', () => {
      expect(resolve({ absoluteTimeout: 7 * DEFAULT_MAX_AGE }).absoluteTimeout).toBe(
        7 * DEFAULT_MAX_AGE,
      );
    });

    it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '60000', null, MAX_DURATION + 1])(
      'refuses %p',
      (value) => {
        expectFailure(
          { secret: SECRET, absoluteTimeout: value },
          'absoluteTimeout',
          'milliseconds',
        );
      },
    );
  });

  describe('expires', () => {
    it('takes a future Date', () => {
      const expires = new Date(NOW + 1000);
      expect(resolve({ expires }).expires).toBe(expires);
    });

    it.each([
      ['a string', '2031-01-01'],
      ['a number', NOW + 1000],
      ['an invalid Date', new Date('not a date')],
      ['null', null],
    ])('refuses %s', (_, expires) => {
      expectFailure({ secret: SECRET, expires }, 'expires', 'valid Date');
    });

    it('refuses a date in the past or now, which would expire every session at once', () => {
      expectFailure({ secret: SECRET, expires: new Date(NOW - 1) }, 'expires', 'past');
      expectFailure({ secret: SECRET, expires: new Date(NOW) }, 'expires', 'past');
    });

    it('refuses a date beyond what a seal can hold', () => {
      expectFailure({ secret: SECRET, expires: new Date(2 ** 48) }, 'expires');
      expect(resolve({ expires: new Date(2 ** 48 - 1) }).expires?.getTime()).toBe(2 ** 48 - 1);
    });

    it('refuses expires together with maxAge or timeout', () => {
      const expires = new Date(NOW + 1000);
      expectFailure({ secret: SECRET, expires, maxAge: 1000 }, 'expires', 'maxAge');
      expectFailure({ secret: SECRET, expires, timeout: 1000 }, 'expires', 'timeout');
    });
  });

  describe('secret and keys', () => {
    it('requires a secret and says how to generate one', () => {
      expectFailure({}, 'secret', 'required', 'randomBytes', 'keys');
      expectFailure({ secret: undefined }, 'secret', 'randomBytes');
    });

    it(`refuses a secret shorter than ${MIN_SECRET_LENGTH} characters and accepts one of ${MIN_SECRET_LENGTH}`, () => {
      expectFailure({ secret: 'x'.repeat(31) }, 'secret', '32', '31', 'randomBytes');
      expectFailure({ secret: '' }, 'secret', '32');
      expect(resolveOptions({ secret: 'x'.repeat(32) }).keys).toEqual(['x'.repeat(32)]);
    });

    it('refuses a Buffer secret of 31 bytes and accepts one of 32', () => {
      expectFailure({ secret: Buffer.alloc(31, 1) }, 'secret', '31');
      const secret = Buffer.alloc(32, 1);
      expect(resolveOptions({ secret }).keys).toEqual([secret]);
    });

    it.each([
      ['a number', 12345678901234567890123456789012345],
      ['null', null],
      ['an object', { value: SECRET }],
      ['a Uint8Array that is not a Buffer', new Uint8Array(32)],
      ['an array', [SECRET]],
    ])('refuses a secret that is %s', (_, secret) => {
      expectFailure({ secret }, 'secret', 'string or a Buffer', 'randomBytes');
    });

    it('refuses secret and keys together', () => {
      expectFailure({ secret: SECRET, keys: [SECRET_2] }, 'secret', 'keys');
    });

    it('takes keys as the ring, newest first', () => {
      const buffer = Buffer.alloc(32, 7);
      expect(resolveOptions({ keys: [SECRET, SECRET_2, buffer] }).keys).toEqual([
        SECRET,
        SECRET_2,
        buffer,
      ]);
    });

    it('refuses an empty key ring or one that is not an array', () => {
      expectFailure({ keys: [] }, 'keys', 'non-empty', 'randomBytes');
      expectFailure({ keys: SECRET }, 'keys', 'non-empty');
      expectFailure({ keys: null }, 'keys');
    });

    it('names the short key in the ring by its index', () => {
      expectFailure({ keys: [SECRET, 'too-short'] }, 'keys[1]', '32', 'randomBytes');
      expectFailure({ keys: [Buffer.alloc(8), SECRET] }, 'keys[0]', '32');
      expectFailure({ keys: [SECRET, SECRET_2, 42] }, 'keys[2]', 'string or a Buffer');
    });

    it('refuses the same key twice, also as a string and a Buffer of the same bytes', () => {
      expectFailure({ keys: [SECRET, SECRET] }, 'keys', 'twice');
      expectFailure({ keys: [SECRET, SECRET_2, Buffer.from(SECRET)] }, 'keys', 'twice');
    });
  });

  describe('name', () => {
    it.each(['sid', 'my-app.session', '__Secure-sid', "a!#$%&'*+-.^_`|~z", 'x'.repeat(200)])(
      'accepts %p',
      (name) => {
        expect(resolve({ name }).name).toBe(name);
      },
    );

    it.each([
      ['a semicolon', 'a;b'],
      ['an equals sign', 'a=b'],
      ['a space', 'my session'],
      ['a newline', 'a\nb'],
      ['a carriage return and line feed', 'a\r\nSet-Cookie: x=y'],
      ['the empty string', ''],
      ['a comma', 'a,b'],
      ['a double quote', 'a"b'],
      ['a non-ASCII letter', 'séssion'],
      ['an attribute injection', 'session; Domain=evil.com'],
      ['an injected HttpOnly-less second cookie', 'x=1; Path=/; sid'],
      ['a tab', 'a\tb'],
      ['brackets', 'a[0]'],
      ['a slash', 'a/b'],
    ])('refuses a name with %s', (_, name) => {
      expectFailure({ secret: SECRET, name }, 'name', 'cookie-name token');
    });

    it.each([
      ['a number', 42],
      ['null', null],
      ['an object', { name: 'x' }],
      ['a boolean', true],
    ])('refuses a name that is %s', (_, name) => {
      expectFailure({ secret: SECRET, name }, 'name');
    });

    it('refuses a name longer than 200 characters', () => {
      expectFailure({ secret: SECRET, name: 'x'.repeat(201) }, 'name', '200');
    });
  });

  describe('path and domain', () => {
    it.each([
      ['no leading slash', 'app'],
      ['the empty string', ''],
      ['a semicolon', '/app;Domain=evil.com'],
      ['CR LF', '/app\r\nSet-Cookie: x=y'],
      ['a NUL', '/a\0'],
      ['a DEL', '/a\x7f'],
      ['non-ASCII', '/café'],
      ['a < that the cookie serialiser would refuse later', '/a<b'],
      ['null', null],
      ['a number', 1],
    ])('refuses a path with %s', (_, path) => {
      expectFailure({ secret: SECRET, path }, 'path', '/');
    });

    it.each([
      ['a semicolon', 'example.com;'],
      ['an injected attribute', 'evil.com; Secure'],
      ['a space', 'example .com'],
      ['a leading space', ' example.com'],
      ['a scheme', 'https://example.com'],
      ['a port', 'example.com:443'],
      ['a path', 'example.com/app'],
      ['an underscore', 'ex_ample.com'],
      ['the empty string', ''],
      ['two dots in a row', 'example..com'],
      ['a trailing hyphen in a label', 'example-.com'],
      ['a newline', 'example.com\nSet-Cookie: x=y'],
      ['null', null],
      ['a number', 42],
    ])('refuses a domain with %s', (_, domain) => {
      expectFailure({ secret: SECRET, domain }, 'domain', 'host name');
    });
  });

  describe('secure, sameSite, partitioned and priority', () => {
    it.each(['true', 'yes', 1, 0, null, 'AUTO'])('refuses secure %p', (secure) => {
      expectFailure({ secret: SECRET, secure }, 'secure', "'auto'");
    });

    it.each(['Lax', 'LAX', true, 'None', 'sometimes', null, 0])(
      'refuses sameSite %p',
      (sameSite) => {
        expectFailure({ secret: SECRET, sameSite }, 'sameSite', "'lax'");
      },
    );

    it("refuses sameSite 'none' with secure false", () => {
      expectFailure({ secret: SECRET, sameSite: 'none', secure: false }, 'sameSite', 'secure');
    });

    it('refuses partitioned with secure false, and accepts partitioned false with it', () => {
      expectFailure({ secret: SECRET, partitioned: true, secure: false }, 'partitioned', 'secure');
      expect(resolve({ partitioned: false, secure: false }).partitioned).toBe(false);
    });

    it.each(['urgent', 'High', 1, null, true])('refuses priority %p', (priority) => {
      expectFailure({ secret: SECRET, priority }, 'priority', "'low'");
    });

    it.each([
      'autoRenew',
      'sessionCookie',
      'httpOnly',
      'secureProxy',
      'overwrite',
      'saveUninitialized',
      'partitioned',
    ])('refuses a %s that is not a boolean', (option) => {
      for (const value of ['true', 1, null, {}]) {
        expectFailure({ secret: SECRET, [option]: value }, option, 'true or false');
      }
    });
  });

  describe('cookie-name prefixes', () => {
    it('accepts __Host- with secure true, path / and no domain', () => {
      expect(resolve({ name: '__Host-sid' }).name).toBe('__Host-sid');
    });

    it.each([
      ['secure false', { secure: false, sameSite: 'lax' }],
      ["secure 'auto'", { secure: 'auto' }],
      ['a path other than /', { path: '/app' }],
      ['a domain', { domain: 'example.com' }],
    ])('refuses __Host- with %s', (_, extra) => {
      expectFailure(
        { secret: SECRET, name: '__Host-sid', ...extra },
        'name',
        '__Host-',
        'secure: true',
        'path "/"',
      );
    });

    it('applies the __Host- rules whatever the case of the prefix, as browsers do', () => {
      expectFailure(
        { secret: SECRET, name: '__host-sid', domain: 'example.com' },
        'name',
        '__Host-',
      );
      expectFailure({ secret: SECRET, name: '__HOST-sid', secure: false }, 'name', '__Host-');
    });

    it('accepts __Secure- with secure true and refuses it otherwise', () => {
      expect(resolve({ name: '__Secure-sid', path: '/app', domain: 'example.com' }).name).toBe(
        '__Secure-sid',
      );
      expectFailure(
        { secret: SECRET, name: '__Secure-sid', secure: false },
        'name',
        '__Secure-',
        'secure: true',
      );
      expectFailure({ secret: SECRET, name: '__Secure-sid', secure: 'auto' }, 'name', '__Secure-');
      expectFailure({ secret: SECRET, name: '__secure-sid', secure: false }, 'name', '__Secure-');
    });
  });

  describe('maxChunks', () => {
    it.each([1, 2, 20])('accepts %p', (maxChunks) => {
      expect(resolve({ maxChunks }).maxChunks).toBe(maxChunks);
    });

    it.each([0, -1, 21, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '2', null])(
      'refuses %p',
      (maxChunks) => {
        expectFailure({ secret: SECRET, maxChunks }, 'maxChunks', '1 to 20');
      },
    );
  });

  describe('unknown options', () => {
    it('names an unknown option', () => {
      expectFailure({ secret: SECRET, colour: 'blue' }, 'colour', 'not an option');
    });

    it('hints at maxAge for maxage', () => {
      expectFailure({ secret: SECRET, maxage: 1000 }, 'maxage', '"maxAge"');
    });

    it('explains that signed is not needed', () => {
      expectFailure({ secret: SECRET, signed: true }, 'signed', 'authenticated');
    });

    it.each([
      ['MaxAge', 'maxAge'],
      ['samesite', 'sameSite'],
      ['SECURE', 'secure'],
      ['httponly', 'httpOnly'],
      ['savEuninitialized', 'saveUninitialized'],
    ])('suggests the right spelling for %p', (given, known) => {
      expectFailure({ secret: SECRET, [given]: true }, given, `"${known}"`);
    });

    it.each([
      ['rolling', 'autoRenew'],
      ['cookie', 'top-level'],
      ['store', 'no store'],
      ['session_key', '"name"'],
      ['cookieName', '"name"'],
    ])('explains %p from other session libraries', (given, hint) => {
      expectFailure({ secret: SECRET, [given]: {} }, given, hint);
    });

    it('does not take inherited property names for hints', () => {
      expectFailure({ secret: SECRET, toString: 'x' }, 'toString', 'not an option');
      expect(errorFor({ secret: SECRET, toString: 'x' }).message).not.toContain('function');
    });
  });

  describe('the options value itself', () => {
    it.each([
      ['undefined', undefined],
      ['null', null],
      ['a string', SECRET],
      ['a number', 42],
      ['an array', [SECRET]],
    ])('refuses %s', (_, input) => {
      expectFailure(input, 'options', 'object', 'secret');
    });
  });

  describe('the error', () => {
    it('is a TypeError with a code, the option and a message that starts with the module name', () => {
      const error = errorFor({ secret: 'short' });
      expect(error).toBeInstanceOf(TypeError);
      expect(error.name).toBe('CookieSessionOptionsError');
      expect(error.code).toBe('ERR_COOKIE_SESSION_OPTIONS');
      expect(error.option).toBe('secret');
      expect(error.message.startsWith('CookieSessionModule: option "secret"')).toBe(true);
    });

    it('cuts long values short when it quotes them', () => {
      const long = 'x'.repeat(20) + 'TAIL'.repeat(10);
      const error = errorFor({ secret: SECRET, name: `${long};` });
      expect(error.message).not.toContain('TAIL'.repeat(10));
    });
  });
});
