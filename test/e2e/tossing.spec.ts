import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { SessionCodec, SessionService } from '../../lib/index.js';
import { TestClock } from '../support/clock.js';
import { setCookies } from '../support/cookies.js';
import { sealTimes } from '../support/seal.js';
import { PLATFORMS, SECRET, createApp } from './support/create-app.js';
import { SessionController } from './support/session.controller.js';

const NAME = '__Host-session';
const HOUR = 3_600_000;

/**
 * A cookie name sent twice means a second cookie was planted next to the real one (by a
 * sibling subdomain, or a path-scoped cookie): which is which cannot be told, so neither is read.
 */
describe.each(PLATFORMS)('a session cookie name sent twice, on %s', (platform) => {
  const clock = new TestClock();
  let app: INestApplication;
  const codec = new SessionCodec({ secret: SECRET });
  const aliceCreated = Date.now() - HOUR;
  const alice = codec.seal({ user: 'alice' }, aliceCreated);
  const mallory = codec.seal({ user: 'mallory' }, aliceCreated);
  const tossed = `${NAME}=${mallory}; theme=dark; ${NAME}=${alice}`;

  beforeAll(async () => {
    app = await createApp(platform, {
      controllers: [SessionController],
      session: { renewAfter: 0, maxChunks: 2 },
    });
  });
  afterAll(() => app.close());
  beforeEach(() => clock.install());
  afterEach(() => clock.uninstall());
  const http = () => request(app.getHttpServer());

  it('reads neither cookie: a new empty session', async () => {
    const res = await http().get('/read').set('Cookie', tossed).expect(200);
    expect(res.body).toMatchObject({ data: {}, isNew: true, populated: false });
    // The same cookie alone is read (and, with renewAfter: 0, renewed).
    const single = await http().get('/read').set('Cookie', `${NAME}=${alice}`).expect(200);
    expect(single.body).toMatchObject({ data: { user: 'alice' }, isNew: false });
    expect(setCookies(single)).toHaveLength(1);
  });

  it('renews neither cookie, even with renewAfter: 0', async () => {
    const untouched = await http().get('/untouched').set('Cookie', tossed).expect(200);
    expect(setCookies(untouched)).toEqual([]);
    const read = await http().get('/read').set('Cookie', tossed).expect(200);
    expect(setCookies(read)).toEqual([]);
  });

  it('writes what a login stores as a fresh session, with nothing of either cookie', async () => {
    clock.advance(1000);
    const login = await http().post('/set').set('Cookie', tossed).send({ user: 'bob' }).expect(201);
    expect(login.body).toMatchObject({ data: { user: 'bob' }, isNew: true });
    const [cookie] = setCookies(login);
    expect(cookie.name).toBe(NAME);
    expect(codec.open(cookie.value)).toEqual({ user: 'bob' });
    expect(sealTimes(cookie.value).createdAt).toBeGreaterThan(aliceCreated);
  });

  it('reads nothing when a chunk name is sent twice', async () => {
    const header = app.get(SessionService).toCookieHeader({ blob: 'y'.repeat(5000) });
    const [first, second] = header.split('; ');
    const read = await http().get('/read').set('Cookie', header).expect(200);
    expect(read.body.data.blob).toHaveLength(5000);
    const doubled = `${first}; ${second}; ${second.replace(/=.*/, '=planted')}`;
    const res = await http().get('/read').set('Cookie', doubled).expect(200);
    expect(res.body).toMatchObject({ data: {}, isNew: true });
    expect(setCookies(res)).toEqual([]);
  });
});
