import { jest } from '@jest/globals';
import { Sealer } from '../../lib/crypto/sealer.js';
import { RecentSeals } from '../../lib/session/recent-seals.js';
import { cookieHeader, setCookies } from '../support/cookies.js';
import { corruptCiphertext } from '../support/seal.js';
import { clockedApps } from './support/clocked-apps.js';
import { PLATFORMS } from './support/create-app.js';
import { SessionController } from './support/session.controller.js';

const HOUR = 3_600_000;
const NAME = '__Host-session';

/**
 * A cookie this app sealed or opened lately is opened again without the cipher; everything a
 * decryption would decide is still decided on every request.
 */
describe.each(PLATFORMS)('recently opened seals, on %s', (platform) => {
  const { clock, open } = clockedApps(platform, { controllers: [SessionController] });
  afterEach(() => jest.restoreAllMocks());

  it("reads a logged-in user's unchanged cookie without decrypting it", async () => {
    const http = await open();
    const login = await http().post('/set').send({ user: 'alice' }).expect(201);
    const decryptions = jest.spyOn(Sealer.prototype, 'open');
    for (let i = 0; i < 5; i++) {
      const res = await http().get('/read').set('Cookie', cookieHeader(login)).expect(200);
      expect(res.body.data).toEqual({ user: 'alice' });
    }
    expect(decryptions).not.toHaveBeenCalled();
  });

  it('refuses a remembered cookie once it has expired', async () => {
    const http = await open({ session: { maxAge: HOUR } });
    const login = await http().post('/set').send({ user: 'alice' }).expect(201);
    await http().get('/read').set('Cookie', cookieHeader(login)).expect(200);
    clock.advance(HOUR);
    const late = await http().get('/read').set('Cookie', cookieHeader(login)).expect(200);
    expect(late.body).toMatchObject({ data: {}, isNew: true });
  });

  it('refuses a remembered cookie past absoluteTimeout, though it was renewed', async () => {
    const http = await open({ session: { maxAge: HOUR, absoluteTimeout: 2 * HOUR } });
    let cookie = cookieHeader(await http().post('/set').send({ user: 'alice' }).expect(201));
    for (let i = 0; i < 3; i++) {
      clock.advance(HOUR / 2 + 1);
      const res = await http().get('/read').set('Cookie', cookie).expect(200);
      expect(res.body.data).toEqual({ user: 'alice' });
      if (setCookies(res).length > 0) cookie = cookieHeader(res);
    }
    clock.advance(HOUR / 2);
    const late = await http().get('/read').set('Cookie', cookie).expect(200);
    expect(late.body).toMatchObject({ data: {}, isNew: true });
  });

  it('runs validate on a remembered cookie whenever it is due, and ends the session it refuses', async () => {
    const seen: unknown[] = [];
    let allowed = true;
    const http = await open({
      session: {
        validateInterval: 0,
        validate: (session) => {
          seen.push(session.user);
          return allowed;
        },
      },
    });
    const login = await http().post('/set').send({ user: 'alice' }).expect(201);
    await http().get('/read').set('Cookie', cookieHeader(login)).expect(200);
    await http().get('/read').set('Cookie', cookieHeader(login)).expect(200);
    expect(seen).toEqual(['alice', 'alice']);
    allowed = false;
    const refused = await http().get('/read').set('Cookie', cookieHeader(login)).expect(200);
    expect(refused.body).toMatchObject({ data: {}, isNew: true });
    expect(setCookies(refused)[0]).toMatchObject({ name: NAME, value: '' });
  });

  it('never lets one request see what another did to its copy of the same cookie', async () => {
    const http = await open();
    const login = await http().post('/set').send({ user: 'alice', cart: [] }).expect(201);
    const cookie = cookieHeader(login);
    const changed = await http()
      .post('/set')
      .set('Cookie', cookie)
      .send({ cart: ['pear'] });
    expect(changed.body.data).toEqual({ user: 'alice', cart: ['pear'] });
    await http().post('/clear-keys').set('Cookie', cookie).expect(201);
    const same = await http().get('/read').set('Cookie', cookie).expect(200);
    expect(same.body.data).toEqual({ user: 'alice', cart: [] });
  });

  it('forgets a cookie a response replaced: sent again, it is decrypted and still opens until it expires', async () => {
    const http = await open({ session: { maxAge: HOUR } });
    const login = await http().post('/set').send({ user: 'alice' }).expect(201);
    const changed = await http()
      .post('/set')
      .set('Cookie', cookieHeader(login))
      .send({ cart: ['pear'] })
      .expect(201);
    const decryptions = jest.spyOn(Sealer.prototype, 'open');
    const old = await http().get('/read').set('Cookie', cookieHeader(login)).expect(200);
    expect(old.body.data).toEqual({ user: 'alice' });
    expect(decryptions).toHaveBeenCalledTimes(1);
    const current = await http().get('/read').set('Cookie', cookieHeader(changed)).expect(200);
    expect(current.body.data).toEqual({ user: 'alice', cart: ['pear'] });
    expect(decryptions).toHaveBeenCalledTimes(1);
    clock.advance(HOUR);
    const late = await http().get('/read').set('Cookie', cookieHeader(login)).expect(200);
    expect(late.body).toMatchObject({ data: {}, isNew: true });
  });

  it('forgets a cookie whose session a response ended', async () => {
    const http = await open();
    const login = await http().post('/set').send({ user: 'alice' }).expect(201);
    await http().post('/destroy').set('Cookie', cookieHeader(login)).expect(201);
    const decryptions = jest.spyOn(Sealer.prototype, 'open');
    await http().get('/read').set('Cookie', cookieHeader(login)).expect(200);
    expect(decryptions).toHaveBeenCalledTimes(1);
  });

  it('remembers one cookie per client however often its session is written', async () => {
    const remembered = jest.spyOn(RecentSeals.prototype, 'remember');
    const http = await open();
    let cookie = cookieHeader(await http().post('/count').expect(201));
    for (let i = 0; i < 20; i++) {
      cookie = cookieHeader(await http().post('/count').set('Cookie', cookie).expect(201));
    }
    const caches = new Set(remembered.mock.contexts as RecentSeals[]);
    expect(remembered).toHaveBeenCalledTimes(21);
    expect([...caches].map((cache) => cache.size)).toEqual([1]);
  });

  it('still refuses a remembered cookie with its ciphertext changed', async () => {
    const http = await open();
    const login = await http().post('/set').send({ role: 'user' }).expect(201);
    await http().get('/read').set('Cookie', cookieHeader(login)).expect(200);
    const forged = `${NAME}=${corruptCiphertext(setCookies(login)[0].value)}`;
    const res = await http().get('/read').set('Cookie', forged).expect(200);
    expect(res.body).toMatchObject({ data: {}, isNew: true });
  });
});
