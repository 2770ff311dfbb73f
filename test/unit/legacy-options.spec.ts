import { CookieSessionReader } from '../../lib/legacy/cookie-session-reader.js';
import { CookieSessionsReader } from '../../lib/legacy/cookie-sessions-reader.js';
import { resolveLegacyOptions } from '../../lib/legacy/legacy-options.js';

/** What the module's `fail` does: throw an error naming the option. */
class OptionError extends Error {
  constructor(
    readonly option: string,
    problem: string,
  ) {
    super(`option "${option}" ${problem}`);
  }
}
const fail = (option: string, problem: string): never => {
  throw new OptionError(option, problem);
};
const resolve = (value: unknown) => resolveLegacyOptions(value, fail);

const SECRET_32 = 'an old cookie-sessions secret 32';

/** The error for `value` (fails the test when it resolves). */
function errorFor(value: unknown): OptionError {
  try {
    resolve(value);
  } catch (error) {
    expect(error).toBeInstanceOf(OptionError);
    return error as OptionError;
  }
  throw new Error('the options were accepted');
}

/** Asserts that `value` fails on `option` with a message holding every fragment. */
function expectFailure(value: unknown, option: string, ...fragments: string[]): void {
  const error = errorFor(value);
  expect(error.option).toBe(option);
  for (const fragment of fragments) expect(error.message).toContain(fragment);
}

describe('resolveLegacyOptions', () => {
  it('is undefined when legacy is not set', () => {
    expect(resolve(undefined)).toBeUndefined();
  });

  it('builds a cookie-session reader with the default name', () => {
    const resolved = resolve({ cookieSession: { keys: ['old key'] } })!;
    expect(resolved.until).toBeUndefined();
    expect(resolved.readers).toHaveLength(1);
    expect(resolved.readers[0]).toBeInstanceOf(CookieSessionReader);
    expect(resolved.readers[0].names).toEqual(['session', 'session.sig']);
  });

  it('builds both readers, with their names and the end date', () => {
    const until = new Date('2027-01-31');
    const resolved = resolve({
      cookieSession: { keys: ['k', Buffer.from('b')], name: 'express:sess' },
      cookieSessions: { secret: Buffer.alloc(32, 7), name: 'session_data', timeout: 3_600_000 },
      until,
    })!;
    expect(resolved.readers.map((reader) => reader.constructor)).toEqual([
      CookieSessionReader,
      CookieSessionsReader,
    ]);
    expect(resolved.readers.flatMap((reader) => reader.names)).toEqual([
      'express:sess',
      'express:sess.sig',
      'session_data',
    ]);
    expect(resolved.until).toBe(until.getTime());
  });

  it('takes the old keys as they were, however short', () => {
    expect(resolve({ cookieSession: { keys: ['k1', 'k2'] } })!.readers).toHaveLength(1);
  });

  it.each([null, 'session', ['cookieSession'], 42])('refuses legacy: %p', (value) => {
    expectFailure(value, 'legacy', 'must be an object', 'cookieSession');
  });

  it('refuses an empty legacy, naming both libraries', () => {
    expectFailure({}, 'legacy', '"cookieSession"', '"cookieSessions"', 'remove "legacy"');
    expectFailure({ until: new Date() }, 'legacy', '"cookieSession"');
  });

  it.each([
    [{ cookiesession: {} }, 'legacy.cookiesession', 'did you mean "cookieSession"?'],
    [{ cookieSesions: {} }, 'legacy.cookieSesions', 'did you mean "cookieSessions"?'],
    [{ cookieSessionx: {} }, 'legacy.cookieSessionx', '"cookieSession" or "cookieSessions"?'],
    [{ cookie_sessions: {} }, 'legacy.cookie_sessions', 'did you mean "cookieSessions"?'],
    [{ untill: new Date() }, 'legacy.untill', 'did you mean "until"?'],
    [{ keys: ['k'] }, 'legacy.keys', '"legacy.cookieSession.keys"'],
    [{ secret: 's' }, 'legacy.secret', '"legacy.cookieSessions.secret"'],
    [{ timeout: 1 }, 'legacy.timeout', '"legacy.cookieSessions.timeout"'],
    [{ constructor: 1 }, 'legacy.constructor', 'is not an option of "legacy"'],
  ])('refuses an unknown key in legacy with a hint: %p', (value, option, hint) => {
    expectFailure(value, option, 'is not an option of', hint);
  });

  it.each([
    [{ keys: ['k'], secret: 'k' }, 'legacy.cookieSession.secret', 'keys: [secret]'],
    [{ keys: ['k'], Name: 'x' }, 'legacy.cookieSession.Name', 'did you mean "name"?'],
    [{ keys: ['k'], signed: true }, 'legacy.cookieSession.signed', '"keys", "name"'],
  ])('refuses an unknown key in cookieSession: %p', (value, option, hint) => {
    expectFailure({ cookieSession: value }, option, hint);
  });

  it.each([
    [{ secret: SECRET_32, maxAge: 1 }, 'legacy.cookieSessions.maxAge', '"timeout"'],
    [{ secret: SECRET_32, timout: 1 }, 'legacy.cookieSessions.timout', 'did you mean "timeout"?'],
  ])('refuses an unknown key in cookieSessions: %p', (value, option, hint) => {
    expectFailure({ cookieSessions: value }, option, hint);
  });

  it.each([undefined, [], 'old key', {}])('refuses cookieSession.keys: %p', (keys) => {
    expectFailure({ cookieSession: { keys } }, 'legacy.cookieSession.keys', 'non-empty array');
  });

  it.each([42, null, {}, undefined])('refuses a key that is not a string or Buffer: %p', (key) => {
    expectFailure(
      { cookieSession: { keys: ['fine', key] } },
      'legacy.cookieSession.keys[1]',
      'a string or a Buffer',
    );
  });

  it("keeps each old cookie's path and domain, path '/' when not given", () => {
    const resolved = resolve({
      cookieSession: { keys: ['k'], path: '/app', domain: 'example.test' },
      cookieSessions: { secret: SECRET_32 },
    })!;
    expect(resolved.readers.map((reader) => reader.scope)).toEqual([
      { path: '/app', domain: 'example.test' },
      { path: '/' },
    ]);
  });

  it('keeps whether the old cookie-session cookie was partitioned, and refuses anything but a boolean', () => {
    const resolved = resolve({ cookieSession: { keys: ['k'], partitioned: true } })!;
    expect(resolved.readers[0].scope).toEqual({ path: '/', partitioned: true });
    for (const partitioned of ['true', 1, null]) {
      expectFailure(
        { cookieSession: { keys: ['k'], partitioned } },
        'legacy.cookieSession.partitioned',
        'true or false',
      );
    }
  });

  it.each([
    ['path', 'app'],
    ['path', ''],
    ['path', '/a;b'],
    ['path', 42],
    ['domain', 'exa mple.test'],
    ['domain', 'a;b'],
    ['domain', ''],
    ['domain', ['example.test']],
  ])("refuses an old cookie's %s of %p", (key, value) => {
    expectFailure(
      { cookieSession: { keys: ['k'], [key]: value } },
      `legacy.cookieSession.${key}`,
      `the old cookie's ${key}`,
    );
    expectFailure(
      { cookieSessions: { secret: SECRET_32, [key]: value } },
      `legacy.cookieSessions.${key}`,
      `the old cookie's ${key}`,
    );
  });

  it.each(['', 'two words', 'semi;colon', 'a=b', 'quo"te', 42])(
    'refuses a cookie name that is no cookie-name token: %p',
    (name) => {
      expectFailure(
        { cookieSession: { keys: ['k'], name } },
        'legacy.cookieSession.name',
        "letters, digits and !#$%&'*+-.^_`|~:",
      );
      expectFailure(
        { cookieSessions: { secret: SECRET_32, name } },
        'legacy.cookieSessions.name',
        'default "_node"',
      );
    },
  );

  it.each([undefined, 42, ['a secret']])('refuses cookieSessions.secret: %p', (secret) => {
    expectFailure(
      { cookieSessions: { secret } },
      'legacy.cookieSessions.secret',
      'a string or a Buffer',
    );
  });

  it.each([
    ['a short string', 'x'.repeat(31), 31],
    ['a long string', 'x'.repeat(33), 33],
    ['a string of 32 characters but 33 UTF-8 bytes', `é${'x'.repeat(31)}`, 33],
    ['a short Buffer', Buffer.alloc(16), 16],
  ])('refuses a cookieSessions secret that is %s', (_label, secret, bytes) => {
    expectFailure(
      { cookieSessions: { secret } },
      'legacy.cookieSessions.secret',
      `exactly 32 bytes (got ${bytes})`,
      'copy it unchanged',
    );
  });

  it.each([0, -1, 1.5, Number.NaN, Infinity, '1000', 2 ** 53])(
    'refuses cookieSessions.timeout: %p',
    (timeout) => {
      expectFailure(
        { cookieSessions: { secret: SECRET_32, timeout } },
        'legacy.cookieSessions.timeout',
        'positive whole number of milliseconds',
      );
    },
  );

  it.each([null, 'cookieSessions', []])('refuses cookieSessions: %p', (value) => {
    expectFailure(
      { cookieSessions: value },
      'legacy.cookieSessions',
      'must be an object',
      'secret',
    );
  });

  it.each([null, 'cookieSession', []])('refuses cookieSession: %p', (value) => {
    expectFailure({ cookieSession: value }, 'legacy.cookieSession', 'must be an object', 'keys');
  });

  it.each(['2027-01-31', Date.UTC(2027, 0, 31), new Date('not a date')])(
    'refuses until: %p',
    (until) => {
      expectFailure(
        { cookieSession: { keys: ['k'] }, until },
        'legacy.until',
        'a valid Date',
        "new Date('2027-01-31')",
      );
    },
  );

  it('refuses the two old libraries reading the same cookie name', () => {
    expectFailure(
      {
        cookieSession: { keys: ['k'], name: 'sid' },
        cookieSessions: { secret: SECRET_32, name: 'sid' },
      },
      'legacy.cookieSessions.name',
      'the cookie "sid"',
    );
    expectFailure(
      {
        cookieSession: { keys: ['k'], name: 'sid' },
        cookieSessions: { secret: SECRET_32, name: 'sid.sig' },
      },
      'legacy.cookieSessions.name',
      'the cookie "sid.sig"',
    );
  });
});
