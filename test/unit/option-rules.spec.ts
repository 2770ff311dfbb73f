import { CookieSessionError, CookieSessionOptionsError } from '../../lib/errors.js';
import type { CookieSessionOptions } from '../../lib/options/cookie-session-options.interface.js';
import { MAX_DURATION } from '../../lib/options/option-rules.js';
import { resolveOptions } from '../../lib/options/resolve-options.js';

const SECRET = 'Vq3xN8rT2mLw9pZs4kYb7hJd1fGc6eRu';

/** The options error for `{ secret, ...extra }` (fails the test when none is thrown). */
function errorFor(extra: Record<string, unknown>): CookieSessionOptionsError {
  try {
    resolveOptions({ secret: SECRET, ...extra } as CookieSessionOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(CookieSessionOptionsError);
    return error as CookieSessionOptionsError;
  }
  throw new Error(`accepted ${Object.keys(extra).join(', ')}`);
}

function expectFailure(extra: Record<string, unknown>, option: string, ...fragments: string[]) {
  const error = errorFor(extra);
  expect(error.option).toBe(option);
  expect(error.message).toContain(`option "${option}"`);
  for (const fragment of fragments) expect(error.message).toContain(fragment);
}

describe('option rules', () => {
  it.each(['maxAge', 'timeout', 'absoluteTimeout'])(
    'refuse a %s that is not a whole positive number of milliseconds up to 100 years',
    (option) => {
      for (const value of [
        0,
        -1,
        1.5,
        Number.NaN,
        Number.POSITIVE_INFINITY,
        '1000',
        MAX_DURATION + 1,
      ]) {
        expectFailure({ [option]: value }, option, 'milliseconds');
      }
      expect(() => resolveOptions({ secret: SECRET, [option]: MAX_DURATION })).not.toThrow();
    },
  );

  it('suggest sessionCookie for maxAge: null (a browser-session cookie elsewhere)', () => {
    expectFailure({ maxAge: null }, 'maxAge', 'sessionCookie');
  });

  it.each(['renewAfter', 'validateInterval'])(
    'accept a %s of 0 and refuse a negative one',
    (option) => {
      expect(() => resolveOptions({ secret: SECRET, [option]: 0 })).not.toThrow();
      expectFailure({ [option]: -1 }, option, 'milliseconds');
    },
  );

  it('refuse a validate that is not a function', () => {
    expectFailure({ validate: true }, 'validate', 'function');
  });

  it.each([1, 2, 3])('accept maxChunks %p', (maxChunks) => {
    expect(resolveOptions({ secret: SECRET, maxChunks }).options.maxChunks).toBe(maxChunks);
  });

  it.each([0, 4, 20, 1.5, '2', null])(
    'refuse maxChunks %p, explaining the 16 KB header limit',
    (maxChunks) => {
      expectFailure({ maxChunks }, 'maxChunks', '1 to 3', '431');
    },
  );

  it.each([
    ['a short secret', 'x'.repeat(31), '32', '31', 'randomBytes'],
    ['a guessable secret', 'x'.repeat(32), 'guess', 'randomBytes'],
    ['a number', 1234, 'string or a Buffer'],
    ['a Uint8Array that is not a Buffer', new Uint8Array(32), 'string or a Buffer'],
  ])('refuse %s', (_, secret, ...fragments) => {
    expectFailure({ secret }, 'secret', ...(fragments as string[]));
  });

  it('name the key of the ring at fault by its index', () => {
    const error = (() => {
      try {
        resolveOptions({ keys: [SECRET, 'too-short'] });
      } catch (e) {
        return e as CookieSessionOptionsError;
      }
      throw new Error('accepted');
    })();
    expect(error.option).toBe('keys[1]');
    expectFailure({ secret: undefined, keys: [] }, 'keys', 'non-empty');
  });

  it.each([
    ['secure', 'yes', "'auto'"],
    ['sameSite', 'Lax', "'lax'"],
    ['sameSite', true, "cookie-session's true is 'strict'"],
    ['priority', 'urgent', "'low'"],
    ['httpOnly', 'true', 'true or false'],
    ['globalInterceptor', 1, 'true or false'],
    ['expires', '2031-01-01', 'valid Date'],
    ['expires', new Date('not a date'), 'valid Date'],
    ['csrf', 1, 'trustedOrigins'],
    ['legacy', 1, 'object'],
  ])('refuse %s %p', (option, value, fragment) => {
    expectFailure({ [option]: value }, option, fragment);
  });

  it('quote a refused value JSON-escaped, so no control character reaches a log', () => {
    const error = errorFor({ sameSite: 'x\r\nInjected: 1' });
    expect(error.message).toContain('"x\\r\\nInjected: 1"');
    expect(error.message).not.toMatch(/[\r\n]/);
  });

  describe('unknown options', () => {
    it.each([
      ['maxage', 'maxAge'],
      ['MaxAge', 'maxAge'],
      ['samesite', 'sameSite'],
      ['SECURE', 'secure'],
      ['renewafter', 'renewAfter'],
    ])('suggest the right spelling for %p', (given, known) => {
      expectFailure({ [given]: 1 }, given, `did you mean "${known}"?`);
    });

    it.each([
      ['signed', 'authenticated'],
      ['rolling', 'renewAfter: 0'],
      ['cookie', 'top-level'],
      ['store', 'no store'],
      ['resave', 'not needed'],
      ['session_key', '"name"'],
      ['cookieName', '"name"'],
      ['duration', '"maxAge"'],
    ])('explain %p from other session libraries', (given, hint) => {
      expectFailure({ [given]: {} }, given, hint);
    });

    it('name an unknown option without a hint, also one named like an inherited property', () => {
      for (const given of ['colour', 'toString', 'constructor']) {
        const error = errorFor({ [given]: 'x' });
        expect(error.message).toMatch(
          new RegExp(`"${given}" is not an option of nest-cookie-session$`),
        );
      }
    });
  });

  it('throw an error with a stable code, the option, and the module named first', () => {
    const error = errorFor({ secret: 'short' });
    expect(error).toBeInstanceOf(CookieSessionError);
    expect(error).toMatchObject({
      name: 'CookieSessionOptionsError',
      code: 'ERR_COOKIE_SESSION_OPTIONS',
      option: 'secret',
    });
    expect(error.message.startsWith('CookieSessionModule: option "secret"')).toBe(true);
  });
});
