import request from 'supertest';
import { SessionCodec } from '../../lib/index.js';
import { cookieHeader, setCookies } from '../support/cookies.js';
import { corruptCiphertext, sealTimes } from '../support/seal.js';
import { PLATFORMS, SECRET } from './support/create-app.js';
import { clockedApps } from './support/clocked-apps.js';
import { SessionController } from './support/session.controller.js';

const NAME = '__Host-session';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const codec = new SessionCodec({ secret: SECRET });
const cookieValue = (res: request.Response) => setCookies(res)[0].value;

describe.each(PLATFORMS)('renewal, on %s', (platform) => {
  const { clock, open } = clockedApps(platform, { controllers: [SessionController] });

  it('writes nothing for an unchanged session before renewAfter, and renews it once due', async () => {
    const http = await open({ session: { maxAge: HOUR, renewAfter: 10 * MINUTE } });
    const first = await http().post('/set').send({ a: 1 }).expect(201);
    const before = sealTimes(setCookies(first)[0].value);
    clock.advance(10 * MINUTE - 1000);
    const early = await http().get('/read').set('Cookie', cookieHeader(first)).expect(200);
    expect(early.body.data).toEqual({ a: 1 });
    expect(setCookies(early)).toEqual([]);
    clock.advance(2000);
    const due = await http().get('/read').set('Cookie', cookieHeader(first)).expect(200);
    const [renewed] = setCookies(due);
    expect(codec.open(renewed.value)).toEqual({ a: 1 });
    const after = sealTimes(renewed.value);
    expect(after.expiresAt).toBeGreaterThan(before.expiresAt);
    expect(after.createdAt).toBe(before.createdAt);
    expect(renewed.attributes['max-age']).toBe('3600');
  });

  it('waits for a renewAfter longer than half the lifetime', async () => {
    const http = await open({ session: { maxAge: 2 * HOUR, renewAfter: 100 * MINUTE } });
    const first = await http().post('/set').send({ a: 1 }).expect(201);
    clock.advance(99 * MINUTE);
    const early = await http().get('/read').set('Cookie', cookieHeader(first)).expect(200);
    expect(setCookies(early)).toEqual([]);
    clock.advance(2 * MINUTE);
    const due = await http().get('/read').set('Cookie', cookieHeader(first)).expect(200);
    expect(setCookies(due)).toHaveLength(1);
  });

  it('does not re-seal a session whose expiry has reached absoluteTimeout: nothing would move', async () => {
    const http = await open({ session: { maxAge: HOUR, absoluteTimeout: 80 * MINUTE } });
    const first = await http().post('/set').send({ a: 1 }).expect(201);
    clock.advance(31 * MINUTE);
    const renewed = await http().get('/read').set('Cookie', cookieHeader(first)).expect(200);
    const [capped] = setCookies(renewed);
    const { createdAt, expiresAt } = sealTimes(capped.value);
    expect(expiresAt).toBe(createdAt + 80 * MINUTE);
    const jar = cookieHeader(renewed, cookieHeader(first));
    for (let i = 0; i < 4; i++) {
      clock.advance(10 * MINUTE);
      const res = await http().get('/read').set('Cookie', jar).expect(200);
      expect(res.body.data).toEqual({ a: 1 });
      expect(setCookies(res)).toEqual([]);
    }
  });

  it('does not re-seal a session with a fixed expires date', async () => {
    const expires = new Date(Date.now() + 2 * HOUR);
    const http = await open({ session: { expires } });
    const first = await http().post('/set').send({ a: 1 }).expect(201);
    for (let i = 0; i < 3; i++) {
      clock.advance(30 * MINUTE);
      const res = await http().get('/read').set('Cookie', cookieHeader(first)).expect(200);
      expect(res.body.data).toEqual({ a: 1 });
      expect(setCookies(res)).toEqual([]);
    }
  });

  it('never decrypts the cookie of an untouched request before its renewal is due', async () => {
    // A guest app answers a seal that fails to open with a fresh empty session, so a request
    // that writes nothing for a corrupted seal never tried to open it.
    const http = await open({ session: { saveUninitialized: true } });
    const set = await http().post('/set').send({ a: 1 }).expect(201);
    const corrupted = `${NAME}=${corruptCiphertext(setCookies(set)[0].value)}`;
    const early = await http().get('/untouched').set('Cookie', corrupted).expect(200);
    expect(setCookies(early)).toEqual([]);
    clock.advance(12 * HOUR + 1000); // half of the default 24 hours
    const renewed = await http().get('/untouched').set('Cookie', cookieHeader(set)).expect(200);
    expect(codec.open(setCookies(renewed)[0].value)).toEqual({ a: 1 });
    const due = await http().get('/untouched').set('Cookie', corrupted).expect(200);
    expect(codec.open(setCookies(due)[0].value)).toEqual({});
  });

  it('never decrypts the cookie of an untouched request when autoRenew is off', async () => {
    const http = await open({ session: { autoRenew: false, saveUninitialized: true } });
    const corrupted = `${NAME}=${corruptCiphertext(codec.seal({ a: 1 }))}`;
    clock.advance(23 * HOUR);
    expect(setCookies(await http().get('/untouched').set('Cookie', corrupted))).toEqual([]);
    // Read, the seal is opened and refused: a fresh guest session replaces it.
    const read = await http().get('/read').set('Cookie', corrupted).expect(200);
    expect(read.body).toMatchObject({ data: {}, isNew: true });
    expect(codec.open(setCookies(read)[0].value)).toEqual({});
  });

  it('renews a seal made under an old key at once, under the current key', async () => {
    const oldKey = 'old-Xk4qV8mN2pR7tW1zB5cJ9hL3fD6gS0yA';
    const newKey = 'new-Pw3eH8rT1yU6iO2aS9dF4gJ7kL0zXcV';
    const http = await open({ session: { secret: undefined, keys: [newKey, oldKey] } });
    const old = new SessionCodec({ secret: oldKey }).seal({ user: 'alice' });
    const res = await http().get('/untouched').set('Cookie', `${NAME}=${old}`).expect(200);
    const [renewed] = setCookies(res);
    expect(new SessionCodec({ secret: newKey }).open(renewed.value)).toEqual({ user: 'alice' });
    expect(sealTimes(renewed.value).hint).not.toBe(sealTimes(old).hint);
  });

  it('renews on every response with renewAfter: 0', async () => {
    const http = await open({ session: { renewAfter: 0 } });
    const first = await http().post('/set').send({ a: 1 }).expect(201);
    let jar = cookieHeader(first);
    let issuedAt = sealTimes(setCookies(first)[0].value).issuedAt;
    for (let i = 0; i < 3; i++) {
      clock.advance(1000);
      const res = await http().get('/untouched').set('Cookie', jar).expect(200);
      expect(setCookies(res)).toHaveLength(1);
      const times = sealTimes(setCookies(res)[0].value);
      expect(times.issuedAt).toBeGreaterThanOrEqual(issuedAt + 1000);
      issuedAt = times.issuedAt;
      jar = cookieHeader(res, jar);
    }
  });

  it('never renews past absoluteTimeout', async () => {
    const http = await open({
      session: { maxAge: HOUR, absoluteTimeout: 90 * MINUTE, renewAfter: 0 },
    });
    const first = await http().post('/set').send({ a: 1 }).expect(201);
    const { createdAt } = sealTimes(setCookies(first)[0].value);
    clock.advance(45 * MINUTE);
    const res = await http().get('/untouched').set('Cookie', cookieHeader(first)).expect(200);
    const [renewed] = setCookies(res);
    const times = sealTimes(renewed.value);
    expect(times.expiresAt).toBe(createdAt + 90 * MINUTE);
    expect(renewed.attributes['max-age']).toBe(
      String(Math.ceil((times.expiresAt - times.issuedAt) / 1000)),
    );
  });

  it('never renews past a fixed expires date', async () => {
    const expires = new Date(Date.now() + 2 * HOUR);
    const http = await open({ session: { expires, renewAfter: 0 } });
    const first = await http().post('/set').send({ a: 1 }).expect(201);
    clock.advance(HOUR);
    const res = await http().get('/untouched').set('Cookie', cookieHeader(first)).expect(200);
    const times = sealTimes(setCookies(res)[0].value);
    expect(times.expiresAt).toBe(expires.getTime());
    expect(times.issuedAt).toBeGreaterThanOrEqual(sealTimes(cookieValue(first)).issuedAt + HOUR);
  });
});
