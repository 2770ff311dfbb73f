import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { SessionCodec } from '../../lib/index.js';
import { SessionSealer } from '../../lib/session/session-sealer.js';
import { setCookies } from '../e2e/support/cookies.js';
import { PLATFORMS, SECRET, createApp } from '../e2e/support/create-app.js';
import { corruptCiphertext } from '../support/seal.js';
import {
  cookieHeaderOf,
  logIn,
  startCookieSessionApp,
  type CookieSessionApp,
} from './cookie-session-app.js';
import { WhoAmIController } from './who-am-i.controller.js';

const OLD_KEY = 'the old app key, as it always was';
const ALICE = { id: 7, name: 'alice' };
const MALLORY = { id: 13, name: 'mallory' };
const codec = new SessionCodec({ secret: SECRET });
const DAY = 86_400_000;

/** A seal such as the module writes for a session that passed `validate` just now. */
function validatedSeal(data: object): string {
  const sealer = new SessionSealer([SECRET], {
    name: '__Host-session',
    maxChunks: 1,
    absoluteTimeout: undefined,
  });
  const now = Date.now();
  return sealer.seal(JSON.stringify(data), {
    createdAt: now,
    issuedAt: now,
    expiresAt: now + DAY,
    validatedAt: now,
    lifetime: 0,
  });
}

/**
 * A seal whose clear-text header says "in date, validated a moment ago" but which never opens:
 * anyone can make one from a seal of their own. Sent beside a replaced library's cookie, it
 * must not let the old session be adopted without `validate`.
 */
const lookalikeSeal = () => corruptCiphertext(validatedSeal({}));

describe.each(PLATFORMS)('validate and the replaced library cookies, on %s', (platform) => {
  let oldApp: CookieSessionApp;
  let app: INestApplication | undefined;
  let revoked: Set<string>;
  let validated: string[];

  beforeAll(async () => {
    oldApp = await startCookieSessionApp({ keys: [OLD_KEY] });
  });
  afterAll(() => oldApp.close());
  beforeEach(async () => {
    revoked = new Set();
    validated = [];
    app = await createApp(platform, {
      controllers: [WhoAmIController],
      session: {
        legacy: { cookieSession: { keys: [OLD_KEY] } },
        validate: (session) => {
          const name = (session.user as { name?: string } | undefined)?.name ?? '';
          validated.push(name);
          return !revoked.has(name);
        },
        validateInterval: 60_000,
      },
    });
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });
  const whoami = (cookie: string) =>
    request(app!.getHttpServer()).get('/whoami').set('Cookie', cookie).expect(200);

  it('refuses a revoked user whose old cookie comes alone or beside a seal that does not open', async () => {
    const old = cookieHeaderOf(await logIn(oldApp, MALLORY));
    revoked.add('mallory');
    for (const cookie of [old, `__Host-session=${lookalikeSeal()}; ${old}`]) {
      const res = await whoami(cookie);
      expect(res.body).toEqual({ user: null, isNew: true });
      expect(setCookies(res).find((c) => c.name === '__Host-session')?.value ?? '').toBe('');
    }
    expect(validated).toEqual(['mallory', 'mallory']);
  });

  it('adopts a user whose old cookie comes beside a seal that does not open, once validate keeps them', async () => {
    const old = cookieHeaderOf(await logIn(oldApp, ALICE));
    const res = await whoami(`__Host-session=${lookalikeSeal()}; ${old}`);
    expect(res.body).toEqual({ user: ALICE, isNew: false });
    expect(validated).toEqual(['alice']);
    const seal = setCookies(res).find((c) => c.name === '__Host-session')!;
    expect(codec.open(seal.value)).toEqual({ user: ALICE });
  });

  it('does not call validate for a seal that opens and is not due, though old cookies came too', async () => {
    const old = cookieHeaderOf(await logIn(oldApp, MALLORY));
    const res = await whoami(`__Host-session=${validatedSeal({ user: ALICE })}; ${old}`);
    expect(res.body).toEqual({ user: ALICE, isNew: false });
    expect(validated).toEqual([]);
  });

  it('adopts none of the old cookies when one of them came twice (a copy tossed in beside them)', async () => {
    const own = await logIn(oldApp, ALICE);
    const tossed = await logIn(oldApp, MALLORY);
    const res = await whoami(`${cookieHeaderOf(tossed)}; ${cookieHeaderOf(own)}`);
    expect(res.body).toEqual({ user: null, isNew: true });
    expect(setCookies(res)).toEqual([]);
    expect(validated).toEqual([]);
    // Either set alone is still adopted.
    expect((await whoami(cookieHeaderOf(own))).body).toEqual({ user: ALICE, isNew: false });
  });
});
