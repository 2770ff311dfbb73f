import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { TestClock } from '../support/clock.js';
import { cookieHeader, setCookies } from '../support/cookies.js';
import { sealTimes } from '../support/seal.js';
import { PLATFORMS, createApp } from './support/create-app.js';
import { SessionController } from './support/session.controller.js';

const MINUTE = 60_000;

describe.each(PLATFORMS)('validation without sliding expiry, on %s', (platform) => {
  let app: INestApplication;
  let clock: TestClock;
  beforeEach(async () => {
    clock = new TestClock().install();
    app = await createApp(platform, {
      controllers: [SessionController],
      session: {
        maxAge: 60 * MINUTE,
        autoRenew: false,
        validate: () => true,
        validateInterval: 10 * MINUTE,
      },
    });
  });
  afterEach(async () => {
    await app.close();
    clock.uninstall();
  });
  const http = () => request(app.getHttpServer());

  it('records a passed validation without extending the seal’s expiry', async () => {
    const login = await http().post('/set').send({ user: 'alice' }).expect(201);
    const expiresAt = sealTimes(setCookies(login)[0].value).expiresAt;
    const jar = cookieHeader(login);
    clock.advance(11 * MINUTE);
    const sent = Date.now();
    const due = await http().get('/read').set('Cookie', jar).expect(200);
    const [resealed] = setCookies(due);
    const times = sealTimes(resealed.value);
    expect(times.validatedAt).toBeGreaterThanOrEqual(sent);
    expect(times.validatedAt).toBeLessThanOrEqual(times.issuedAt);
    expect(times.expiresAt).toBe(expiresAt);
    expect(Number(resealed.attributes['max-age'])).toBeLessThanOrEqual(49 * 60 + 1);
  });

  it('ends the session at its first expiry however often it is validated', async () => {
    let jar = cookieHeader(await http().post('/set').send({ user: 'alice' }).expect(201));
    const seen: unknown[] = [];
    for (let minutes = 11; minutes <= 77; minutes += 11) {
      clock.advance(11 * MINUTE);
      const res = await http().get('/read').set('Cookie', jar).expect(200);
      seen.push(res.body.data.user ?? null);
      if (setCookies(res).length > 0) jar = cookieHeader(res, jar);
    }
    expect(seen).toEqual(['alice', 'alice', 'alice', 'alice', 'alice', null, null]);
  });
});
