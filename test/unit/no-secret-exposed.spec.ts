import { Controller, Get, Req, type INestApplication } from '@nestjs/common';
import { hkdfSync, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { inspect } from 'node:util';
import request from 'supertest';
import { KeyRing } from '../../lib/crypto/key-ring.js';
import { Sealer } from '../../lib/crypto/sealer.js';
import {
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
import { SessionRuntime } from '../../lib/session/session-runtime.js';
import { SessionSealer } from '../../lib/session/session-sealer.js';
import { PLATFORMS, createApp, type Platform } from '../e2e/support/create-app.js';

// New secrets every run: nothing in the code under test can know them.
const SECRET = randomBytes(32).toString('base64url');
const OLD_SECRET = randomBytes(32).toString('base64url');

function derivedKey(secret: string): Buffer {
  const salt = Buffer.from('nest-cookie-session');
  const info = Buffer.from('v1 aes-256-gcm key');
  return Buffer.from(hkdfSync('sha256', Buffer.from(secret), salt, info, 32));
}

/** Every spelling of the secrets and their AES keys a leak could take, in 16-character windows. */
const NEEDLES = (() => {
  const forms = [SECRET, OLD_SECRET].flatMap((secret) => {
    const bytes = Buffer.from(secret);
    const key = derivedKey(secret);
    const spacedHex = (b: Buffer) => b.toString('hex').replace(/(..)(?!$)/g, '$1 ');
    return [
      secret,
      ...[bytes, key].flatMap((b) => [
        b.toString('hex'),
        spacedHex(b), // how util.inspect shows a Buffer
        b.toString('base64'),
        b.toString('base64url'),
      ]),
      key.toString('latin1'),
    ];
  });
  return forms.flatMap((form) =>
    Array.from({ length: form.length - 15 }, (_, i) => form.slice(i, i + 16)),
  );
})();

/** The renderings a logger or an error reporter could make of `value`. */
function renderings(value: unknown, depth: number): string[] {
  const out = [inspect(value, { depth, showHidden: true })];
  // A logger that ignores custom inspection sees the fields themselves (bounded: a request
  // links to its whole server).
  if (depth === Infinity)
    out.push(inspect(value, { depth, showHidden: true, customInspect: false }));
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
}

describe('no secret or derived key is exposed', () => {
  const options = (): CookieSessionOptions => ({ keys: [SECRET, OLD_SECRET] });

  it('checks every spelling of the secrets and keys, and finds one where it is shown', () => {
    expect(NEEDLES.length).toBeGreaterThan(500);
    expect(() => expectNoSecret('a Buffer of the key', { key: derivedKey(SECRET) })).toThrow();
    expect(() => expectNoSecret('the secret', { secret: OLD_SECRET })).toThrow();
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

  describe.each(PLATFORMS)('in a running app, on %s', (platform: Platform) => {
    let app: INestApplication;

    beforeAll(async () => {
      app = await createApp(platform, {
        noSessionModule: true,
        imports: [CookieSessionModule.forRoot(options())],
        controllers: [ProbeController],
      });
    });
    afterAll(() => app?.close());

    it('by the SessionService and the runtime', () => {
      expectNoSecret('SessionService', app.get(SessionService));
      expectNoSecret('SessionRuntime', app.get(SessionRuntime));
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
