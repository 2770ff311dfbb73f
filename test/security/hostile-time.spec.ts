/**
 * Time at the millisecond, on Express and Fastify: a seal's own expiry is honoured whatever
 * maxAge the app has now, seals from the future are refused beyond the clock skew allowed,
 * and absoluteTimeout caps every renewal.
 */
import { randomBytes } from 'node:crypto';
import { SessionCodec, type CookieSessionOptions } from '../../lib/index.js';
import type { SealTimes } from '../../lib/crypto/seal-format.js';
import { CLOCK_SKEW_MS, SessionSealer } from '../../lib/session/session-sealer.js';
import { PLATFORMS } from '../e2e/support/create-app.js';
import { SessionController } from '../e2e/support/session.controller.js';
import { sealTimes } from '../support/seal.js';
import { FrozenClock } from './fixtures/frozen-clock.js';
import { attribute, httpRequest, parseSetCookie, type HttpResult } from './fixtures/http.js';
import { startLiveApp, type LiveApp } from './fixtures/live-app.js';
import { expectEmpty, read, sessionPairs, type ReadBody } from './support/hostile-http.js';

const SECRET = randomBytes(32).toString('base64url');
const NAME = new SessionCodec({ secret: SECRET }).name;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const sealer = new SessionSealer([SECRET], {
  name: NAME,
  maxChunks: 1,
  absoluteTimeout: undefined,
});
/** A cookie holding alice's session, sealed with the given times. */
const sealedAt = (times: Omit<SealTimes, 'validatedAt' | 'lifetime'>) =>
  `${NAME}=${sealer.seal('{"user":"alice"}', { ...times, validatedAt: 0, lifetime: 0 })}`;

const expectAlice = (body: ReadBody) =>
  expect(body).toMatchObject({ data: { user: 'alice' }, isNew: false });

describe.each(PLATFORMS)('time, on %s', (platform) => {
  const clock = new FrozenClock();
  const apps: LiveApp[] = [];
  const start = async (options: Partial<CookieSessionOptions>) => {
    const app = await startLiveApp(platform, {
      controllers: [SessionController],
      session: { secret: SECRET, renewAfter: 0, ...options },
    });
    apps.push(app);
    return app;
  };
  const login = async (app: LiveApp) => {
    const res = await httpRequest(app.port, '/set', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: 'alice' }),
    });
    return sessionPairs(res, NAME)[0];
  };
  /** The times of the seal a response wrote. */
  const renewed = (res: HttpResult) => sealTimes(parseSetCookie(res.setCookies[0]).value);
  beforeEach(() => clock.install());
  afterEach(async () => {
    clock.uninstall();
    await Promise.all(apps.splice(0).map((a) => a.close()));
  });

  it('a seal made under maxAge 1 h opens on an app now configured with maxAge 10 min until its own expiry; the renewal gets 10 min', async () => {
    const long = await start({ maxAge: HOUR });
    const short = await start({ maxAge: 10 * MINUTE });
    const t0 = clock.time;
    const jar = await login(long);
    clock.set(t0 + 30 * MINUTE);
    const res = await read(short, jar);
    expectAlice(res.json);
    expect(renewed(res)).toMatchObject({
      createdAt: t0,
      issuedAt: t0 + 30 * MINUTE,
      expiresAt: t0 + 40 * MINUTE,
    });
    expect(attribute(parseSetCookie(res.setCookies[0]), 'max-age')).toBe('600');
    clock.set(t0 + HOUR - 1);
    expectAlice((await read(short, jar)).json);
    clock.set(t0 + HOUR);
    expectEmpty(await read(short, jar));
  });

  it('a seal made under maxAge 10 min is refused at its own expiry by an app configured with maxAge 1 h; before that the renewal gets 1 h', async () => {
    const long = await start({ maxAge: HOUR });
    const short = await start({ maxAge: 10 * MINUTE });
    const t0 = clock.time;
    const jar = await login(short);
    clock.set(t0 + 10 * MINUTE - 1);
    const res = await read(long, jar);
    expectAlice(res.json);
    expect(renewed(res)).toMatchObject({ createdAt: t0, expiresAt: t0 + 10 * MINUTE - 1 + HOUR });
    clock.set(t0 + 10 * MINUTE);
    expectEmpty(await read(long, jar));
  });

  it(`a seal issued in the future opens up to ${CLOCK_SKEW_MS} ms ahead (clock skew) and is refused beyond, to the millisecond`, async () => {
    const app = await start({});
    const now = clock.time;
    const future = (ahead: number, createdAt = now + ahead) =>
      sealedAt({ createdAt, issuedAt: now + ahead, expiresAt: now + ahead + HOUR });
    expectAlice((await read(app, future(CLOCK_SKEW_MS))).json);
    expectEmpty(await read(app, future(CLOCK_SKEW_MS + 1)));
    expectEmpty(await read(app, future(86_400_000)));
    expectEmpty(await read(app, future(2 ** 47)));
    // Created after it was issued: refused.
    expectEmpty(await read(app, future(0, now + 1)));
    expectAlice((await read(app, future(0, now))).json);
  });

  it('a seal is refused at its expiry to the millisecond, whatever the cookie says', async () => {
    const app = await start({});
    const now = clock.time;
    const until = (expiresAt: number) =>
      sealedAt({ createdAt: now - HOUR, issuedAt: now - HOUR, expiresAt });
    expectAlice((await read(app, until(now + 1))).json);
    expectEmpty(await read(app, until(now)));
    expectEmpty(await read(app, until(now - 1)));
    expectEmpty(await read(app, until(0)));
  });

  it('absoluteTimeout: renewals never push the expiry past creation + absoluteTimeout; the session opens 1 ms before and is refused at that instant', async () => {
    const app = await start({ maxAge: HOUR, absoluteTimeout: 2 * HOUR });
    const t0 = clock.time;
    let jar = await login(app);
    for (const at of [50 * MINUTE, 100 * MINUTE]) {
      clock.set(t0 + at);
      const res = await read(app, jar);
      expectAlice(res.json);
      expect(renewed(res)).toMatchObject({
        createdAt: t0,
        expiresAt: Math.min(t0 + at + HOUR, t0 + 2 * HOUR),
      });
      jar = sessionPairs(res, NAME)[0];
    }
    clock.set(t0 + 2 * HOUR - 1);
    const last = await read(app, jar);
    expectAlice(last.json);
    expect(renewed(last)).toMatchObject({ createdAt: t0, expiresAt: t0 + 2 * HOUR });
    // Max-Age is rounded up: the browser keeps the cookie for the last millisecond it opens.
    expect(attribute(parseSetCookie(last.setCookies[0]), 'max-age')).toBe('1');
    clock.set(t0 + 2 * HOUR);
    expectEmpty(await read(app, jar));
    expectEmpty(await read(app, sessionPairs(last, NAME)[0]));
  });
});
