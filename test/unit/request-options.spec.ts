import { CookieSessionOptionsError } from '../../lib/errors.js';
import type { SessionRequestOptions } from '../../lib/options/cookie-session-options.interface.js';
import { MAX_DURATION } from '../../lib/options/option-rules.js';
import { resolveOptions } from '../../lib/options/resolve-options.js';
import { checkRequestOptions, requestDefaultsOf } from '../../lib/session/request-options.js';

const SECRET = 'Vq3xN8rT2mLw9pZs4kYb7hJd1fGc6eRu';
const OLD_SECRET = 'Hs5nKc2wQz8mVb4xTr7yLp1dGf9jNe3u';

/** A request's options as they start: the module's defaults (`session`, not secure). */
function defaults(extra: Record<string, unknown> = {}): SessionRequestOptions {
  const { options } = resolveOptions({ secret: SECRET, secure: false, ...extra });
  return { ...requestDefaultsOf(options) };
}

/** The error `checkRequestOptions` raises for the defaults changed by `change`. */
function refusal(change: Record<string, unknown>, base = defaults()): CookieSessionOptionsError {
  try {
    checkRequestOptions({ ...base, ...change } as SessionRequestOptions, base);
  } catch (error) {
    expect(error).toBeInstanceOf(CookieSessionOptionsError);
    expect((error as CookieSessionOptionsError).option).toMatch(/^request\.sessionOptions\./);
    return error as CookieSessionOptionsError;
  }
  throw new Error(`accepted ${JSON.stringify(Object.keys(change))}`);
}

describe('request options', () => {
  describe('requestDefaultsOf', () => {
    it('holds the cookie attributes a request may change and no secret', () => {
      const { options } = resolveOptions({ keys: [SECRET, OLD_SECRET], secure: false });
      const requestDefaults = requestDefaultsOf(options);
      expect(Object.keys(requestDefaults).sort()).toEqual(
        [
          'autoRenew',
          'domain',
          'expires',
          'httpOnly',
          'maxAge',
          'name',
          'overwrite',
          'partitioned',
          'path',
          'priority',
          'sameSite',
          'saveUninitialized',
          'secure',
          'secureProxy',
          'sessionCookie',
        ].sort(),
      );
      const shown = JSON.stringify(requestDefaults);
      expect(shown).not.toContain(SECRET);
      expect(shown).not.toContain(OLD_SECRET);
      expect(Object.isFrozen(requestDefaults)).toBe(true);
    });

    it('starts from the module options', () => {
      const requestDefaults = defaults({ maxAge: 3_600_000, path: '/app', sameSite: 'strict' });
      expect(requestDefaults).toMatchObject({
        name: 'session',
        maxAge: 3_600_000,
        path: '/app',
        sameSite: 'strict',
        secure: false,
      });
    });
  });

  describe('checkRequestOptions', () => {
    it('accepts the module defaults and valid changes', () => {
      expect(() => checkRequestOptions(defaults(), defaults())).not.toThrow();
      const changes: Record<string, unknown>[] = [
        { maxAge: 1 },
        { maxAge: MAX_DURATION },
        { expires: new Date(Date.now() + 60_000) },
        { path: '/' },
        { domain: undefined },
        { sameSite: false },
        { sameSite: 'none', secure: true },
        { partitioned: false },
        { priority: 'low' },
        { priority: 'medium' },
        { priority: 'high' },
        { priority: undefined },
        { autoRenew: false, sessionCookie: true, httpOnly: false, secureProxy: true },
        { overwrite: false, saveUninitialized: true },
      ];
      for (const change of changes)
        expect(() => checkRequestOptions({ ...defaults(), ...change }, defaults())).not.toThrow();
    });

    it('refuses an expires that is not a valid Date, showing what it got', () => {
      expect(refusal({ expires: new Date(Number.NaN) }).message).toBe(
        'CookieSessionModule: option "request.sessionOptions.expires" must be a valid Date or undefined (got Date(NaN))',
      );
      expect(refusal({ expires: '2030-01-01' }).message).toContain('(got "2030-01-01")');
      expect(refusal({ expires: 1_900_000_000_000 }).message).toContain('(got 1900000000000)');
      expect(refusal({ expires: null }).message).toContain('(got null)');
      expect(refusal({ expires: { getTime: () => 1 } }).message).toContain('(got an object)');
    });

    it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, MAX_DURATION + 1])(
      'refuses maxAge %p when no expires is set',
      (maxAge) => {
        const error = refusal({ maxAge });
        expect(error.message).toBe(
          `CookieSessionModule: option "request.sessionOptions.maxAge" must be a whole number of milliseconds from 1 to ${MAX_DURATION} (got ${String(maxAge)})`,
        );
      },
    );

    it('accepts maxAge left out beside a valid expires, which then decides the end', () => {
      const base = defaults();
      const expires = new Date(Date.now() + 60_000);
      for (const maxAge of [undefined, null])
        expect(() =>
          checkRequestOptions(
            { ...base, maxAge, expires } as unknown as SessionRequestOptions,
            base,
          ),
        ).not.toThrow();
    });

    it.each([0, -5, 1.5, '1000'])(
      'refuses maxAge %p beside an expires: it would be the session’s lifetime later',
      (maxAge) => {
        const expires = new Date(Date.now() + 60_000);
        expect(refusal({ maxAge, expires }).option).toBe('request.sessionOptions.maxAge');
      },
    );

    it('refuses an expires later than a seal can hold', () => {
      expect(refusal({ expires: new Date(2 ** 48) }).message).toContain(
        `must be before ${new Date(2 ** 48 - 1).toISOString()}`,
      );
      const base = defaults();
      expect(() =>
        checkRequestOptions({ ...base, expires: new Date(2 ** 48 - 1) }, base),
      ).not.toThrow();
    });

    it('refuses a maxAge given as text, quoting it', () => {
      expect(refusal({ maxAge: '1000' }).message).toContain('(got "1000")');
    });

    it.each([
      ['path', '/account', '"/"'],
      ['path', 'a', '"/"'],
      ['path', '/ ', '"/"'],
      ['path', '/a;b', '"/"'],
      ['path', '/a\r\nSet-Cookie: admin=1', '"/"'],
      ['path', undefined, '"/"'],
      ['domain', 'example.com', 'undefined'],
      ['domain', 'exa;mple.com', 'undefined'],
      ['domain', '', 'undefined'],
      ['domain', '  ', 'undefined'],
    ])('refuses a %s of its own, %j: it must stay the module’s', (option, value, kept) => {
      const error = refusal({ [option]: value });
      expect(error.message).toContain(
        `CookieSessionModule: option "request.sessionOptions.${option}" must stay ${kept} (got `,
      );
      expect(error.message).toContain('a second cookie');
      expect(error.message).toContain('on the module');
    });

    it('accepts a path and domain equal to the module’s own, and only those', () => {
      const base = defaults({ path: '/app', domain: 'example.com' });
      expect(() =>
        checkRequestOptions({ ...base, path: '/app', domain: 'example.com' }, base),
      ).not.toThrow();
      expect(refusal({ path: '/' }, base).message).toContain('path" must stay "/app" (got "/")');
      expect(refusal({ path: '/app/' }, base).message).toContain('(got "/app/")');
      expect(refusal({ domain: undefined }, base).message).toContain(
        'domain" must stay "example.com" (got undefined)',
      );
      expect(refusal({ domain: 'www.example.com' }, base).message).toContain(
        '(got "www.example.com")',
      );
    });

    it('escapes line breaks of a refused value in the message', () => {
      const error = refusal({ path: '/x\r\ninjected' });
      expect(error.message).not.toMatch(/[\r\n]/);
      expect(error.message).toContain('"/x\\r\\ninjected"');
    });

    it('cuts a long refused value in the message', () => {
      const error = refusal({ domain: `${';'.repeat(150)}END` });
      expect(error.message).toContain(`"${';'.repeat(100)}…"`);
      expect(error.message).not.toContain('END');
    });

    it.each([['Lax'], ['strict '], [true], ['']])('refuses sameSite %j', (sameSite) => {
      expect(refusal({ sameSite }).message).toMatch(
        /^CookieSessionModule: option "request\.sessionOptions\.sameSite" must be 'lax', 'strict', 'none' or false \(got /,
      );
    });

    it('shows the sameSite it refused', () => {
      expect(refusal({ sameSite: 'Lax' }).message).toContain('(got "Lax")');
      expect(refusal({ sameSite: true }).message).toContain('(got true)');
      expect(refusal({ sameSite: ['lax'] }).message).toContain('(got an object)');
    });

    it.each([['true'], ['AUTO'], [1], [null]])('refuses secure %j', (secure) => {
      expect(refusal({ secure }).message).toMatch(
        /^CookieSessionModule: option "request\.sessionOptions\.secure" must be true, false or 'auto' \(got /,
      );
    });

    it.each([['urgent'], ['High'], [''], [1], [null], [['high']]])(
      'refuses priority %j',
      (priority) => {
        expect(refusal({ priority }).message).toMatch(
          /^CookieSessionModule: option "request\.sessionOptions\.priority" must be 'low', 'medium', 'high' or undefined \(got /,
        );
      },
    );

    it('quotes a forged priority instead of echoing its line breaks', () => {
      const forged = 'x\n[Nest] 1 - LOG forged line';
      const error = refusal({ priority: forged });
      expect(error.message).not.toMatch(/[\r\n]/);
      expect(error.message).toContain(`(got ${JSON.stringify(forged)})`);
    });

    it.each([
      'autoRenew',
      'sessionCookie',
      'httpOnly',
      'secureProxy',
      'overwrite',
      'saveUninitialized',
    ])('refuses %s when it is not true or false, quoting it', (option) => {
      for (const [value, shown] of [
        ['false', '"false"'],
        [0, '0'],
        [null, 'null'],
        [undefined, 'undefined'],
        ['x\ny', '"x\\ny"'],
      ]) {
        expect(refusal({ [option]: value }).message).toBe(
          `CookieSessionModule: option "request.sessionOptions.${option}" must be true or false (got ${shown})`,
        );
      }
    });

    it.each([['true'], [1], [null]])('refuses partitioned %j', (partitioned) => {
      expect(refusal({ partitioned, secure: 'auto' }).message).toMatch(
        /^CookieSessionModule: option "request\.sessionOptions\.partitioned" must be true, false or undefined \(got /,
      );
    });

    it('refuses SameSite=None without Secure', () => {
      expect(refusal({ sameSite: 'none', secure: false }).message).toMatch(
        /^CookieSessionModule: option "request\.sessionOptions\.sameSite" 'none' requires secure: true/,
      );
    });

    it("refuses SameSite=None and Partitioned with secure 'auto', which drops Secure on plain HTTP", () => {
      expect(refusal({ sameSite: 'none', secure: 'auto' }).message).toMatch(
        /^CookieSessionModule: option "request\.sessionOptions\.sameSite" 'none' requires secure: true \(got auto\)/,
      );
      const partitioned = defaults({ secure: true, partitioned: true });
      expect(refusal({ secure: 'auto' }, partitioned).message).toMatch(
        /^CookieSessionModule: option "request\.sessionOptions\.partitioned" requires secure: true \(got auto\)/,
      );
    });

    it('keeps partitioned as the module set it: the other kind is a second cookie', () => {
      for (const [base, change] of [
        [defaults({ secure: true }), { partitioned: true }],
        [defaults({ secure: true, partitioned: true }), { partitioned: false }],
        [defaults({ secure: true, partitioned: true }), { partitioned: undefined }],
      ] as const) {
        expect(refusal(change, base).message).toMatch(
          /^CookieSessionModule: option "request\.sessionOptions\.partitioned" must stay (true|false): a partitioned cookie and an unpartitioned one are two cookies/,
        );
      }
      expect(() =>
        checkRequestOptions({ ...defaults(), partitioned: false }, defaults()),
      ).not.toThrow();
    });

    it('refuses Partitioned without Secure', () => {
      const partitioned = defaults({ secure: true, partitioned: true });
      expect(refusal({ secure: false }, partitioned).message).toBe(
        'CookieSessionModule: option "request.sessionOptions.partitioned" requires secure: true (got false): browsers reject Partitioned cookies without Secure',
      );
    });

    describe('with a __Host- cookie', () => {
      const host = () => defaults({ secure: true });

      it('starts from options that allow the prefix', () => {
        expect(host().name).toBe('__Host-session');
        expect(() => checkRequestOptions(host(), host())).not.toThrow();
      });

      it.each([
        ['secure false', { secure: false }],
        ["secure 'auto'", { secure: 'auto' }],
      ])('refuses %s', (_case, change) => {
        expect(refusal(change, host()).message).toBe(
          'CookieSessionModule: option "request.sessionOptions.name" starts with "__Host-", which requires secure: true, path "/" and no domain',
        );
      });
    });

    it('refuses a request that drops Secure from a __Secure- cookie', () => {
      const base = defaults({ name: '__Secure-sid', secure: true });
      expect(() => checkRequestOptions(base, base)).not.toThrow();
      expect(refusal({ secure: 'auto' }, base).message).toBe(
        'CookieSessionModule: option "request.sessionOptions.name" starts with "__Secure-", which requires secure: true',
      );
    });
  });
});
