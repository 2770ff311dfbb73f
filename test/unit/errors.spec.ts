import {
  CookieSessionError,
  CookieSessionOptionsError,
  SessionNotAttachedError,
  SessionOutsideRequestError,
  SessionPlatformError,
  SessionTooLargeError,
  quote,
} from '../../lib/errors.js';
import { resolveOptions } from '../../lib/options/resolve-options.js';

const SECRET = 'Vq3xN8rT2mLw9pZs4kYb7hJd1fGc6eRu';

/** The message of the options error for `{ secret, ...extra }`. */
function optionsMessage(extra: Record<string, unknown>): string {
  try {
    resolveOptions({ secret: SECRET, ...extra } as never);
  } catch (error) {
    expect(error).toBeInstanceOf(CookieSessionOptionsError);
    return (error as Error).message;
  }
  throw new Error(`accepted ${Object.keys(extra).join(', ')}`);
}

describe('errors', () => {
  it.each([
    [
      'CookieSessionOptionsError',
      new CookieSessionOptionsError('maxAge', 'must be positive'),
      'ERR_COOKIE_SESSION_OPTIONS',
    ],
    [
      'SessionTooLargeError',
      new SessionTooLargeError('session', 5000, 4096, 1, 3),
      'ERR_SESSION_TOO_LARGE',
    ],
    [
      'SessionOutsideRequestError',
      new SessionOutsideRequestError('SessionService.get()'),
      'ERR_SESSION_OUTSIDE_REQUEST',
    ],
    ['SessionNotAttachedError', new SessionNotAttachedError(), 'ERR_SESSION_NOT_ATTACHED'],
    ['SessionPlatformError', new SessionPlatformError('no platform'), 'ERR_SESSION_PLATFORM'],
  ])('%s has its own name and a stable code, and is a CookieSessionError', (name, error, code) => {
    expect(error).toBeInstanceOf(CookieSessionError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe(name);
    expect(error.code).toBe(code);
    expect(String(error)).toMatch(new RegExp(`^${name}: `));
  });

  it('messages name what went wrong', () => {
    const options = new CookieSessionOptionsError('keys[1]', 'is too short');
    expect(options.option).toBe('keys[1]');
    expect(options.message).toBe('CookieSessionModule: option "keys[1]" is too short');

    const tooLarge = new SessionTooLargeError('sid', 9000, 8192, 2, 3);
    expect(tooLarge).toMatchObject({ cookieName: 'sid', size: 9000, limit: 8192, maxChunks: 2 });
    expect(tooLarge.message).toContain(
      '"sid" would need 9000 bytes but 2 cookie(s) hold at most 8192',
    );
    expect(tooLarge.message).toContain('or raise maxChunks (up to 3)');
    expect(new SessionTooLargeError('sid', 13000, 12288, 3, 3).message).not.toContain('raise');

    expect(new SessionOutsideRequestError('@Session() in a ws context').message).toMatch(
      /^@Session\(\) in a ws context was used outside an HTTP request/,
    );
    expect(new SessionPlatformError('the HTTP platform "koa" is not supported').message).toBe(
      'CookieSessionModule: the HTTP platform "koa" is not supported',
    );
  });

  it('a subclass of the base error is named after itself', () => {
    class AppSessionError extends CookieSessionError {}
    const error = new AppSessionError('ERR_APP', 'app failure');
    expect(error.name).toBe('AppSessionError');
    expect(error.code).toBe('ERR_APP');
  });

  describe('quote', () => {
    it('escapes quotes, backslashes and line breaks so no value can forge a log line', () => {
      expect(quote('a"b\\c\r\nd')).toBe('"a\\"b\\\\c\\r\\nd"');
    });

    it('keeps a value of 100 characters whole', () => {
      const value = 'x'.repeat(100);
      expect(quote(value)).toBe(`"${value}"`);
    });

    it('cuts a longer value to its first 100 characters and marks the cut', () => {
      const value = `${'y'.repeat(100)}SECRET-TAIL`;
      const quoted = quote(value);
      expect(quoted).toBe(`"${'y'.repeat(100)}…"`);
      expect(quoted).not.toContain('SECRET-TAIL');
    });
  });

  describe('options errors show the value they refused without echoing it whole', () => {
    it.each([
      [{ name: 42 }, '(got 42)'],
      [{ name: null }, '(got null)'],
      [{ name: ['sid'] }, '(got an array)'],
      [{ name: { value: 'sid' } }, '(got an object)'],
      [{ name: () => 'sid' }, '(got a function)'],
      [{ httpOnly: 'yes\r\nX-Injected: 1' }, '(got "yes\\r\\nX-Injected: 1")'],
      [{ validate: true }, '(got true)'],
    ])('%j', (extra, shown) => {
      expect(optionsMessage(extra)).toContain(shown);
    });

    it('a long text is cut after 40 characters', () => {
      const message = optionsMessage({ sameSite: `${'s'.repeat(40)}TAIL` });
      expect(message).toContain(`(got "${'s'.repeat(40)}…")`);
      expect(message).not.toContain('TAIL');
    });

    it('an invalid Date is named as a Date', () => {
      expect(optionsMessage({ expires: new Date(Number.NaN) })).toContain(
        '(got Date(Invalid Date))',
      );
    });

    it.each(['maxAge', 'timeout'])(
      '%s: null points to sessionCookie for a browser-session cookie',
      (option) => {
        expect(optionsMessage({ [option]: null })).toContain('set sessionCookie: true');
      },
    );

    it('absoluteTimeout: null gets no such hint', () => {
      expect(optionsMessage({ absoluteTimeout: null })).not.toContain('sessionCookie');
    });
  });
});
