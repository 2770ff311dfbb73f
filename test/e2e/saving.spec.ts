import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { SessionCodec } from '../../lib/index.js';
import { TestClock } from '../support/clock.js';
import { cookieHeader, setCookies } from '../support/cookies.js';
import { sealTimes } from '../support/seal.js';
import { PLATFORMS, SECRET, createApp } from './support/create-app.js';
import { SessionController } from './support/session.controller.js';

const codec = new SessionCodec({ secret: SECRET });
/** The default name: `Secure`, `Path=/` and no `Domain` allow the `__Host-` prefix. */
const NAME = '__Host-session';

describe.each(PLATFORMS)('saving, on %s', (platform) => {
  let app: INestApplication;
  beforeAll(async () => {
    app = await createApp(platform, { controllers: [SessionController] });
  });
  afterAll(() => app.close());
  const http = () => request(app.getHttpServer());

  it('sends no Set-Cookie when nothing was touched and no cookie came in', async () => {
    expect(setCookies(await http().get('/untouched').expect(200))).toEqual([]);
  });

  it('sends no Set-Cookie for a new session left empty', async () => {
    expect(setCookies(await http().get('/read').expect(200))).toEqual([]);
  });

  it('writes a new empty session with saveUninitialized', async () => {
    const guest = await createApp(platform, {
      controllers: [SessionController],
      session: { saveUninitialized: true },
    });
    try {
      const res = await request(guest.getHttpServer()).get('/read').expect(200);
      const [cookie] = setCookies(res);
      expect(codec.open(cookie.value)).toEqual({});
    } finally {
      await guest.close();
    }
  });

  it('expires the cookie at logout with saveUninitialized too, rather than sealing an empty guest session', async () => {
    const guest = await createApp(platform, {
      controllers: [SessionController],
      session: { saveUninitialized: true },
    });
    try {
      const login = await request(guest.getHttpServer()).post('/set').send({ user: 'ada' });
      const res = await request(guest.getHttpServer())
        .post('/destroy')
        .set('Cookie', cookieHeader(login))
        .expect(201);
      expect(setCookies(res)).toMatchObject([
        { name: NAME, value: '', attributes: { 'max-age': '0' } },
      ]);
    } finally {
      await guest.close();
    }
  });

  it('writes changed data with a fresh seal and the configured attributes', async () => {
    const res = await http().post('/set').send({ a: 1 }).expect(201);
    const cookies = setCookies(res);
    expect(cookies).toHaveLength(1);
    const [cookie] = cookies;
    expect(cookie.name).toBe(NAME);
    expect(codec.open(cookie.value)).toEqual({ a: 1 });
    expect(cookie.attributes).toMatchObject({
      path: '/',
      httponly: true,
      secure: true,
      samesite: 'Lax',
      'max-age': '86400',
    });
    expect(
      Math.abs(new Date(String(cookie.attributes.expires)).getTime() - (Date.now() + 86_400_000)),
    ).toBeLessThan(2000);
  });

  it('passes domain, partitioned, priority and sameSite none through to the cookie', async () => {
    const custom = await createApp(platform, {
      controllers: [SessionController],
      session: {
        domain: 'example.com',
        partitioned: true,
        priority: 'high',
        sameSite: 'none',
        httpOnly: false,
      },
    });
    try {
      const res = await request(custom.getHttpServer()).post('/set').send({ a: 1 }).expect(201);
      const [cookie] = setCookies(res);
      expect(cookie.attributes).toMatchObject({
        domain: 'example.com',
        partitioned: true,
        priority: 'High',
        samesite: 'None',
        secure: true,
      });
      expect(cookie.attributes.httponly).toBeUndefined();
    } finally {
      await custom.close();
    }
  });

  it('renews an unchanged valid cookie past half its lifetime, with a later expiry', async () => {
    const clock = new TestClock().install();
    try {
      const first = await http().post('/set').send({ a: 1 }).expect(201);
      const before = sealTimes(setCookies(first)[0].value);
      clock.advance(12 * 3600_000 + 1000);
      const renewed = await http().get('/read').set('Cookie', cookieHeader(first)).expect(200);
      const [cookie] = setCookies(renewed);
      const after = sealTimes(cookie.value);
      expect(codec.open(cookie.value)).toEqual({ a: 1 });
      expect(after.expiresAt).toBeGreaterThan(before.expiresAt);
      expect(after.createdAt).toBe(before.createdAt);
    } finally {
      clock.uninstall();
    }
  });

  it('leaves an unchanged valid cookie alone when autoRenew is off', async () => {
    const quiet = await createApp(platform, {
      controllers: [SessionController],
      session: { autoRenew: false },
    });
    try {
      const first = await request(quiet.getHttpServer()).post('/set').send({ a: 1 }).expect(201);
      const read = await request(quiet.getHttpServer())
        .get('/read')
        .set('Cookie', cookieHeader(first))
        .expect(200);
      expect(read.body.data).toEqual({ a: 1 });
      expect(setCookies(read)).toEqual([]);
    } finally {
      await quiet.close();
    }
  });

  it('expires the cookie when the session is destroyed, also when the request carried none', async () => {
    const first = await http().post('/set').send({ a: 1 }).expect(201);
    const destroyed = await http().post('/destroy').set('Cookie', cookieHeader(first)).expect(201);
    const withoutCookie = await http().post('/destroy').expect(201);
    for (const res of [destroyed, withoutCookie]) {
      expect(setCookies(res)).toEqual([expect.objectContaining({ name: NAME, value: '' })]);
      expect(setCookies(res)[0].attributes['max-age']).toBe('0');
    }
  });

  it('clears the cookie when every key is deleted (an empty session is no session)', async () => {
    const first = await http().post('/set').send({ a: 1 }).expect(201);
    const emptied = await http().post('/clear-keys').set('Cookie', cookieHeader(first)).expect(201);
    expect(setCookies(emptied)[0]).toMatchObject({ name: NAME, value: '' });
  });

  it('re-seals a cookie made under an old key with keys[0] when it writes it', async () => {
    const oldKey = 'old-Xk4qV8mN2pR7tW1zB5cJ9hL3fD6gS0yA';
    const newKey = 'new-Pw3eH8rT1yU6iO2aS9dF4gJ7kL0zXcV';
    const oldApp = await createApp(platform, {
      controllers: [SessionController],
      session: { secret: undefined, keys: [oldKey] },
    });
    const rotated = await createApp(platform, {
      controllers: [SessionController],
      session: { secret: undefined, keys: [newKey, oldKey] },
    });
    try {
      const first = await request(oldApp.getHttpServer())
        .post('/set')
        .send({ user: 'alice' })
        .expect(201);
      const read = await request(rotated.getHttpServer())
        .get('/read')
        .set('Cookie', cookieHeader(first))
        .expect(200);
      expect(read.body.data).toEqual({ user: 'alice' });
      const resealed = setCookies(read)[0].value;
      expect(new SessionCodec({ secret: newKey }).open(resealed)).toEqual({ user: 'alice' });
      expect(new SessionCodec({ secret: oldKey }).open(resealed)).toBeUndefined();
    } finally {
      await oldApp.close();
      await rotated.close();
    }
  });

  it('never lets concurrent requests see each other’s session', async () => {
    const clients = Array.from({ length: 40 }, (_, i) => `client-${i}`);
    const seeded = await Promise.all(
      clients.map((id) => http().post('/set').send({ id }).expect(201)),
    );
    const results = await Promise.all(
      seeded.flatMap((res, i) =>
        Array.from({ length: 3 }, () =>
          http()
            .post('/set')
            .set('Cookie', cookieHeader(res))
            .send({ touched: clients[i] })
            .expect(201),
        ),
      ),
    );
    results.forEach((res, n) => {
      const id = clients[Math.floor(n / 3)];
      expect(res.body.data).toEqual({ id, touched: id });
      expect(codec.open(setCookies(res)[0].value)).toEqual({ id, touched: id });
    });
  });
});
