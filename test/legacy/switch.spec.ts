import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { SessionCodec } from '../../lib/index.js';
import { cookieHeader, setCookies } from '../e2e/support/cookies.js';
import { PLATFORMS, SECRET, createApp } from '../e2e/support/create-app.js';
import {
  cookieHeaderOf,
  logIn,
  startCookieSessionApp,
  type CookieSessionApp,
} from './cookie-session-app.js';
import { WhoAmIController } from './who-am-i.controller.js';
import { asSentByBrowser, writeCookieSessionsValue } from './cookie-sessions-format.js';

const OLD_KEYS = ['the old app key, as it always was', 'an even older key'];
const OLD_SECRET = 'exactly-thirty-two-bytes-secret!';
const ALICE = { id: 7, name: 'alice' };
const codec = new SessionCodec({ secret: SECRET });

describe.each(PLATFORMS)('switching from the replaced libraries, on %s', (platform) => {
  let oldApp: CookieSessionApp;
  let app: INestApplication | undefined;

  beforeAll(async () => {
    // The old app signs with its newest key; users who logged in before its last rotation
    // carry cookies signed by the key after it.
    oldApp = await startCookieSessionApp({ keys: [OLD_KEYS[1]] });
  });
  afterAll(async () => {
    await oldApp.close();
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('keeps a cookie-session user logged in: the seal replaces the old cookies on the first response', async () => {
    const oldCookies = await logIn(oldApp, ALICE);
    expect([...oldCookies.keys()].sort()).toEqual(['session', 'session.sig']);
    app = await createApp(platform, {
      controllers: [WhoAmIController],
      session: { legacy: { cookieSession: { keys: OLD_KEYS } } },
    });
    const first = await request(app.getHttpServer())
      .get('/whoami')
      .set('Cookie', cookieHeaderOf(oldCookies))
      .expect(200);
    expect(first.body).toEqual({ user: ALICE, isNew: false });
    const lines = setCookies(first);
    const seal = lines.find((c) => c.name === '__Host-session')!;
    expect(codec.open(seal.value)).toEqual({ user: ALICE });
    for (const old of ['session', 'session.sig']) {
      expect(lines.find((c) => c.name === old)).toMatchObject({
        value: '',
        attributes: { 'max-age': '0' },
      });
    }
    // The browser now holds the seal only, and stays logged in on it.
    const next = await request(app.getHttpServer())
      .get('/whoami')
      .set('Cookie', cookieHeader(first, cookieHeaderOf(oldCookies)))
      .expect(200);
    expect(cookieHeader(first, cookieHeaderOf(oldCookies))).not.toContain('session.sig');
    expect(next.body).toEqual({ user: ALICE, isNew: false });
  });

  it('keeps a cookie-sessions user logged in, and refuses its expired or tampered cookies', async () => {
    app = await createApp(platform, {
      controllers: [WhoAmIController],
      session: { legacy: { cookieSessions: { secret: OLD_SECRET, timeout: 60_000 } } },
    });
    const valid = asSentByBrowser(
      writeCookieSessionsValue(OLD_SECRET, { user: ALICE }, Date.now()),
    );
    const first = await request(app.getHttpServer()).get('/whoami').set('Cookie', `_node=${valid}`);
    expect(first.body).toEqual({ user: ALICE, isNew: false });
    expect(
      setCookies(first)
        .map((c) => c.name)
        .sort(),
    ).toEqual(['__Host-session', '_node']);
    expect(setCookies(first).find((c) => c.name === '_node')!.attributes['max-age']).toBe('0');

    const expired = asSentByBrowser(
      writeCookieSessionsValue(OLD_SECRET, { user: ALICE }, Date.now() - 61_000),
    );
    const tampered = valid.replace(/^./, (c) => (c === 'a' ? 'b' : 'a'));
    for (const cookie of [expired, tampered]) {
      const res = await request(app.getHttpServer())
        .get('/whoami')
        .set('Cookie', `_node=${cookie}`);
      expect(res.body).toEqual({ user: null, isNew: true });
      expect(setCookies(res)).toEqual([]);
    }
  });

  it('reads no old cookie once the window has closed ("until" passed)', async () => {
    const oldCookies = await logIn(oldApp, ALICE);
    app = await createApp(platform, {
      controllers: [WhoAmIController],
      session: {
        legacy: { cookieSession: { keys: OLD_KEYS }, until: new Date(Date.now() - 1000) },
      },
    });
    const res = await request(app.getHttpServer())
      .get('/whoami')
      .set('Cookie', cookieHeaderOf(oldCookies));
    expect(res.body).toEqual({ user: null, isNew: true });
  });
});
