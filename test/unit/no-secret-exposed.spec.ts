import {
  Controller,
  Get,
  Inject,
  Injectable,
  Req,
  type DynamicModule,
  type INestApplication,
} from '@nestjs/common';
import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { inspect } from 'node:util';
import request from 'supertest';
import { KeyRing } from '../../lib/crypto/key-ring.js';
import { Sealer } from '../../lib/crypto/sealer.js';
import {
  COOKIE_SESSION_OPTIONS,
  CookieSessionModule,
  CookieSessionOptionsError,
  SessionCodec,
  SessionNotAttachedError,
  SessionOutsideRequestError,
  SessionPlatformError,
  SessionService,
  SessionTooLargeError,
  type CookieSessionOptions,
} from '../../lib/index.js';
import type { LegacyOptions } from '../../lib/legacy/legacy-options.js';
import { SessionRuntime } from '../../lib/session/session-runtime.js';
import { SessionSealer } from '../../lib/session/session-sealer.js';
import { PLATFORMS, createApp, type Platform } from '../e2e/support/create-app.js';
import { asSentByBrowser, writeCookieSessionsValue } from '../legacy/cookie-sessions-format.js';

// New secrets every run: nothing in the code under test can know them.
const SECRET = randomBytes(32).toString('base64url');
const OLD_SECRET = randomBytes(32).toString('base64url');
/** The replaced libraries' own secrets: a cookie-session key and a cookie-sessions AES key. */
const LEGACY_KEY = randomBytes(32).toString('base64url');
const LEGACY_SECRET = randomBytes(32);

function derivedKey(secret: string): Buffer {
  const salt = Buffer.from('nest-cookie-session');
  const info = Buffer.from('v1 aes-256-gcm key');
  return Buffer.from(hkdfSync('sha256', Buffer.from(secret), salt, info, 32));
}

/** The spellings of some bytes a leak could take. */
function spellings(bytes: Buffer): string[] {
  return [
    bytes.toString('hex'),
    bytes.toString('hex').replace(/(..)(?!$)/g, '$1 '), // how util.inspect shows a Buffer
    bytes.toString('base64'),
    bytes.toString('base64url'),
    bytes.toString('latin1'),
  ];
}

/** Every spelling of the secrets and their AES keys a leak could take, in 16-character windows. */
const NEEDLES = (() => {
  const forms = [
    ...[SECRET, OLD_SECRET].flatMap((secret) => [
      secret,
      ...spellings(Buffer.from(secret)),
      ...spellings(derivedKey(secret)),
    ]),
    LEGACY_KEY,
    ...spellings(Buffer.from(LEGACY_KEY)),
    ...spellings(LEGACY_SECRET),
  ];
  return forms.flatMap((form) =>
    Array.from({ length: form.length - 15 }, (_, i) => form.slice(i, i + 16)),
  );
})();

/** The renderings a logger or an error reporter could make of `value`. */
function renderings(value: unknown, depth: number): string[] {
  const out = [
    inspect(value, { depth, showHidden: true }),
    // A logger may also show what getters return.
    inspect(value, { depth, showHidden: true, getters: true }),
  ];
  // A logger that ignores custom inspection sees the fields themselves (bounded: a request
  // links to its whole server).
  if (depth === Infinity)
    out.push(inspect(value, { depth, showHidden: true, getters: true, customInspect: false }));
  try {
    out.push(String(value));
  } catch {
    // an object without a string form (e.g. a null-prototype object) cannot leak through it
  }
  try {
    const json = JSON.stringify(value);
    if (json !== undefined) out.push(json);
  } catch {
    // cycles or BigInt: JSON.stringify throws, nothing is shown
  }
  return out;
}

function expectNoSecret(label: string, value: unknown, depth = Infinity): void {
  const texts = renderings(value, depth);
  const leaks = NEEDLES.filter((needle) => texts.some((text) => text.includes(needle)));
  expect([label, leaks.length]).toEqual([label, 0]);
}

/** What a handler saw of its request, rendered while the request was handled. */
const seen: Record<string, string[]> = {};

/** An application's provider that injects the module's options. */
@Injectable()
class OptionsReader {
  constructor(@Inject(COOKIE_SESSION_OPTIONS) readonly options: CookieSessionOptions) {}
}

@Controller()
class ProbeController {
  constructor(private readonly sessions: SessionService) {}

  @Get('probe')
  probe(@Req() req: { raw?: IncomingMessage; sessionOptions: unknown }) {
    this.sessions.get().userId = 7;
    const raw = req.raw ?? (req as unknown as IncomingMessage);
    expectNoSecret('request.sessionOptions', req.sessionOptions);
    expectNoSecret('the raw request', raw, 8);
    seen.probe = ['done'];
    return { ok: true };
  }

  @Get('user')
  user() {
    return { user: this.sessions.get().user ?? null };
  }
}

const ADA = { id: 1, name: 'Ada' };

/** The Cookie header of a session expressjs/cookie-session signed with `key`. */
function cookieSessionCookies(data: unknown, key: string): string {
  const value = Buffer.from(JSON.stringify(data)).toString('base64');
  const signature = createHmac('sha1', key).update(`session=${value}`).digest('base64url');
  return `session=${value}; session.sig=${signature}`;
}

/** The Cookie header of a session auth0 cookie-sessions sealed with `secret`. */
function cookieSessionsCookie(data: unknown, secret: Buffer): string {
  return `_node=${asSentByBrowser(writeCookieSessionsValue(secret, data, Date.now()))}`;
}

describe('no secret or derived key is exposed', () => {
  const options = (): CookieSessionOptions => ({ keys: [SECRET, OLD_SECRET] });
  const legacy = (): LegacyOptions => ({
    cookieSession: { keys: [LEGACY_KEY] },
    cookieSessions: { secret: LEGACY_SECRET },
  });
  const moduleOptions = (): CookieSessionOptions => ({ ...options(), legacy: legacy() });

  it('checks every spelling of the secrets and keys, and finds one where it is shown', () => {
    expect(NEEDLES.length).toBeGreaterThan(500);
    expect(() => expectNoSecret('a Buffer of the key', { key: derivedKey(SECRET) })).toThrow();
    expect(() => expectNoSecret('the secret', { secret: OLD_SECRET })).toThrow();
    expect(() => expectNoSecret('the legacy options', legacy())).toThrow();
    expect(() => expectNoSecret('a legacy key', { keys: [LEGACY_KEY] })).toThrow();
    expect(() => expectNoSecret('a legacy secret', { secret: LEGACY_SECRET })).toThrow();
  });

  it.each([
    ['forRoot', () => CookieSessionModule.forRoot(moduleOptions())],
    ['forRootAsync', () => CookieSessionModule.forRootAsync({ useFactory: moduleOptions })],
  ])('by the module definition %s() returns', (_, define) => {
    expectNoSecret('the module definition', define());
  });

  it('by a SessionCodec, a KeyRing, a Sealer and a SessionSealer', () => {
    const codec = new SessionCodec(options());
    codec.seal({ a: 1 });
    expectNoSecret('SessionCodec', codec);
    const ring = new KeyRing([SECRET, OLD_SECRET]);
    expectNoSecret('KeyRing', ring);
    expectNoSecret('KeyRing.keys', ring.keys);
    const sealer = new Sealer(ring, 'session', 4096);
    sealer.seal('{}', { createdAt: 1, issuedAt: 1, expiresAt: 2, validatedAt: 0, lifetime: 0 });
    expectNoSecret('Sealer', sealer);
    const settings = { name: 'session', maxChunks: 1, absoluteTimeout: undefined };
    expectNoSecret('SessionSealer', new SessionSealer([SECRET, OLD_SECRET], settings));
  });

  it('by every error the library raises', () => {
    const errors: Error[] = [];
    const capture = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        errors.push(error as Error);
      }
    };
    capture(() => new SessionCodec({ keys: [SECRET, `${OLD_SECRET.slice(0, 20)}`] }));
    capture(() => new SessionCodec({ keys: [SECRET, OLD_SECRET, SECRET] }));
    capture(() => new SessionCodec({ secret: SECRET, maxAge: -1 }));
    capture(() => new SessionCodec(options()).seal({ blob: 'x'.repeat(5_000) }));
    errors.push(new SessionOutsideRequestError('SessionService'));
    errors.push(new SessionNotAttachedError());
    errors.push(new SessionPlatformError('unsupported adapter'));
    const classes = new Set(errors.map((error) => error.constructor));
    expect(classes).toEqual(
      new Set([
        CookieSessionOptionsError,
        SessionTooLargeError,
        SessionOutsideRequestError,
        SessionNotAttachedError,
        SessionPlatformError,
      ]),
    );
    errors.forEach((error) => expectNoSecret(error.name, error));
  });

  const registrations: [string, (given: CookieSessionOptions) => DynamicModule][] = [
    ['forRoot', (given) => CookieSessionModule.forRoot(given)],
    [
      'forRootAsync',
      (given) => CookieSessionModule.forRootAsync({ useFactory: async () => given }),
    ],
  ];
  const runningApps = PLATFORMS.flatMap((platform) =>
    registrations.map(([how, register]) => [platform, how, register] as const),
  );

  describe.each(runningApps)('in a running app, on %s, with %s()', (platform, _, register) => {
    let app: INestApplication;
    let given: CookieSessionOptions;
    let givenShown: string;

    beforeAll(async () => {
      given = moduleOptions();
      givenShown = inspect(given, { depth: Infinity, showHidden: true });
      app = await createApp(platform, {
        noSessionModule: true,
        imports: [register(given)],
        controllers: [ProbeController],
        providers: [OptionsReader],
      });
    });
    afterAll(() => app?.close());

    it('by the SessionService and the runtime', () => {
      expectNoSecret('SessionService', app.get(SessionService));
      expectNoSecret('SessionRuntime', app.get(SessionRuntime));
    });

    it('by the options Nest keeps for the module, legacy secrets included', () => {
      const kept = app.get(COOKIE_SESSION_OPTIONS);
      expectNoSecret('COOKIE_SESSION_OPTIONS', kept);
      expectNoSecret('COOKIE_SESSION_OPTIONS.legacy', kept.legacy);
      expectNoSecret('COOKIE_SESSION_OPTIONS.legacy.cookieSession', kept.legacy.cookieSession);
      expectNoSecret('COOKIE_SESSION_OPTIONS.legacy.cookieSessions', kept.legacy.cookieSessions);
      // The application's providers can inject it, and get that copy.
      expect(app.get(OptionsReader).options).toBe(kept);
    });

    it('while a SessionCodec given that copy seals as the module does', async () => {
      const codec = new SessionCodec(app.get(COOKIE_SESSION_OPTIONS));
      const res = await request(app.getHttpServer())
        .get('/user')
        .set('Cookie', `${codec.name}=${codec.seal({ user: ADA })}`);
      expect(res.body).toEqual({ user: ADA });
    });

    it("leaves the application's own options object as it was", () => {
      expect(inspect(given, { depth: Infinity, showHidden: true })).toBe(givenShown);
      expect(Object.keys(given)).toEqual(['keys', 'legacy']);
      expect(given.legacy?.cookieSession?.keys).toEqual([LEGACY_KEY]);
      expect(given.legacy?.cookieSessions?.secret).toBe(LEGACY_SECRET);
    });

    it.each([
      ['cookie-session', () => cookieSessionCookies({ user: ADA }, LEGACY_KEY)],
      ['cookie-sessions', () => cookieSessionsCookie({ user: ADA }, LEGACY_SECRET)],
    ])('while still adopting a %s session', async (_, cookie) => {
      const res = await request(app.getHttpServer()).get('/user').set('Cookie', cookie());
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ user: ADA });
    });

    it('by request.sessionOptions and the request, while it is handled', async () => {
      delete seen.probe;
      const res = await request(app.getHttpServer()).get('/probe');
      expect(res.status).toBe(200);
      expect(seen.probe).toEqual(['done']);
      expect(res.headers['set-cookie']).toHaveLength(1);
    });
  });
});
