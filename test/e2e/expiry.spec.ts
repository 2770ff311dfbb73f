import { Controller, Get, Logger } from '@nestjs/common';
import request from 'supertest';
import { Session } from '../../lib/index.js';
import { cookieHeader, setCookies } from '../support/cookies.js';
import { sealTimes } from '../support/seal.js';
import { PLATFORMS, createApp, type AppSetup, type Platform } from './support/create-app.js';
import { clockedApps } from './support/clocked-apps.js';
import { moduleWarnings, recordingLogger } from './support/recording-logger.js';
import { SessionController } from './support/session.controller.js';

const HOUR = 3_600_000;

describe.each(PLATFORMS)('expiry, on %s', (platform) => {
  const { clock, open } = clockedApps(platform, { controllers: [SessionController] });

  it('rejects an expired seal on the server even if the client keeps sending it', async () => {
    const http = await open({ session: { maxAge: HOUR } });
    const first = await http().post('/set').send({ user: 'alice' }).expect(201);
    const jar = cookieHeader(first);
    clock.advance(HOUR - 1000);
    expect((await http().get('/read').set('Cookie', jar).expect(200)).body.data).toEqual({
      user: 'alice',
    });
    clock.advance(2000);
    const late = await http().get('/read').set('Cookie', jar).expect(200);
    expect(late.body).toMatchObject({ data: {}, isNew: true });
  });

  it('slides the expiry with autoRenew: a renewed cookie outlives the first one', async () => {
    const http = await open({ session: { maxAge: HOUR } });
    let jar = cookieHeader(await http().post('/set').send({ user: 'alice' }).expect(201));
    for (let i = 0; i < 3; i++) {
      clock.advance(HOUR - 60_000);
      const res = await http().get('/read').set('Cookie', jar).expect(200);
      expect(res.body.data).toEqual({ user: 'alice' });
      jar = cookieHeader(res, jar);
    }
  });

  it('keeps a session changed on an instance whose clock is behind the one that began it', async () => {
    const http = await open({ session: { validate: () => true, validateInterval: HOUR } });
    clock.advance(20_000); // the instance the user logs in on runs 20 s ahead of the next one
    const first = await http().post('/set').send({ user: 'alice' }).expect(201);
    clock.advance(-20_000);
    const changed = await http()
      .post('/set')
      .set('Cookie', cookieHeader(first))
      .send({ flash: 'welcome' })
      .expect(201);
    // No time in the new seal lies ahead of the clock that made it.
    const times = sealTimes(setCookies(changed)[0].value);
    expect(times.createdAt).toBeLessThanOrEqual(times.issuedAt);
    expect(times.validatedAt).toBeLessThanOrEqual(times.issuedAt);
    const jar = cookieHeader(changed, cookieHeader(first));
    clock.advance(20_000); // and the next request is back on the instance ahead
    const read = await http().get('/read').set('Cookie', jar).expect(200);
    expect(read.body.data).toEqual({ user: 'alice', flash: 'welcome' });
  });

  it('refuses a seal issued more than a minute ahead of its clock, and says once that clocks disagree', async () => {
    const logger = recordingLogger();
    const http = await open({ configure: (app) => app.useLogger(logger) });
    clock.advance(90_000); // the instance the user logs in on runs 90 s ahead
    const first = await http().post('/set').send({ user: 'alice' }).expect(201);
    clock.advance(-90_000);
    for (let i = 0; i < 2; i++) {
      const read = await http().get('/read').set('Cookie', cookieHeader(first)).expect(200);
      expect(read.body).toMatchObject({ data: {}, isNew: true });
    }
    expect(moduleWarnings(logger)).toEqual([
      expect.stringMatching(
        /^A session cookie sealed more than 60 s ahead of this server's clock .*\(NTP\)/,
      ),
    ]);
    // Within the minute allowed, nothing is said.
    clock.advance(60_000);
    await http().get('/read').set('Cookie', cookieHeader(first)).expect(200);
    expect(moduleWarnings(logger)).toHaveLength(1);
  });

  it('caps a session at absoluteTimeout from its creation however often it is renewed', async () => {
    const http = await open({ session: { maxAge: HOUR, absoluteTimeout: 2 * HOUR } });
    const first = await http().post('/set').send({ user: 'alice' }).expect(201);
    let jar = cookieHeader(first);
    const created = sealTimes(setCookies(first)[0].value).createdAt;
    clock.advance(50 * 60_000);
    let res = await http().get('/read').set('Cookie', jar).expect(200);
    jar = cookieHeader(res, jar);
    clock.advance(50 * 60_000);
    res = await http().get('/read').set('Cookie', jar).expect(200);
    expect(res.body.data).toEqual({ user: 'alice' });
    // The renewed cookie does not outlive the cap.
    const [renewed] = setCookies(res);
    expect(sealTimes(renewed.value).expiresAt).toBe(created + 2 * HOUR);
    // Expires is rounded up to the next whole second, no further.
    const lastExpiry = new Date(String(renewed.attributes.expires)).getTime();
    expect(lastExpiry).toBe(Math.ceil((created + 2 * HOUR) / 1000) * 1000);
    jar = cookieHeader(res, jar);
    clock.advance(21 * 60_000);
    res = await http().get('/read').set('Cookie', jar).expect(200);
    expect(res.body).toMatchObject({ data: {}, isNew: true });
  });

  it('reads absoluteTimeout from the configuration in force: shortening it ends sessions already issued', async () => {
    const before = await open({ session: { maxAge: 10 * HOUR } });
    const jar = cookieHeader(await before().post('/set').send({ user: 'alice' }).expect(201));
    clock.advance(2 * HOUR);
    const after = await open({ session: { maxAge: 10 * HOUR, absoluteTimeout: HOUR } });
    expect((await after().get('/read').set('Cookie', jar).expect(200)).body.isNew).toBe(true);
    expect((await before().get('/read').set('Cookie', jar).expect(200)).body.isNew).toBe(false);
  });

  it('gives the cookie Expires and Max-Age matching the seal, and none with sessionCookie', async () => {
    const http = await open({ session: { maxAge: HOUR } });
    const res = await http().post('/set').send({ a: 1 }).expect(201);
    const [cookie] = setCookies(res);
    const seal = sealTimes(cookie.value);
    expect(cookie.attributes['max-age']).toBe('3600');
    // Rounded up, so the browser never drops a cookie the server still accepts.
    expect(new Date(String(cookie.attributes.expires)).getTime()).toBe(
      Math.ceil(seal.expiresAt / 1000) * 1000,
    );

    const browserSession = await open({ session: { maxAge: HOUR, sessionCookie: true } });
    const first = await browserSession().post('/set').send({ a: 1 }).expect(201);
    const [plain] = setCookies(first);
    expect(plain.attributes.expires).toBeUndefined();
    expect(plain.attributes['max-age']).toBeUndefined();
    // The server still enforces maxAge on a browser-session cookie.
    clock.advance(HOUR + 1);
    expect(
      (await browserSession().get('/read').set('Cookie', cookieHeader(first)).expect(200)).body
        .isNew,
    ).toBe(true);
  });

  it('rounds Max-Age up to whole seconds', async () => {
    const http = await open({ session: { maxAge: HOUR + 1 } });
    const res = await http().post('/set').send({ a: 1 }).expect(201);
    expect(setCookies(res)[0].attributes['max-age']).toBe('3601');
  });

  it('fails a write once a fixed expires date has passed, never sending an expired cookie', async () => {
    const http = await open({ session: { expires: new Date(Date.now() + HOUR) } });
    clock.advance(HOUR + 1000);
    const res = await http().post('/set').send({ a: 1 }).expect(500);
    expect(setCookies(res)).toEqual([]);
  });

  it('accepts timeout as an alias of maxAge', async () => {
    const http = await open({ session: { timeout: HOUR } });
    const res = await http().post('/set').send({ a: 1 }).expect(201);
    expect(setCookies(res)[0].attributes['max-age']).toBe('3600');
  });

  it('uses a fixed expires date for the cookie and the seal', async () => {
    const expires = new Date(Date.now() + 2 * HOUR);
    const http = await open({ session: { expires } });
    const res = await http().post('/set').send({ a: 1 }).expect(201);
    const [cookie] = setCookies(res);
    expect(new Date(String(cookie.attributes.expires)).getTime()).toBe(
      Math.ceil(expires.getTime() / 1000) * 1000,
    );
    clock.advance(2 * HOUR + 1);
    expect(
      (await http().get('/read').set('Cookie', cookieHeader(res)).expect(200)).body.isNew,
    ).toBe(true);
  });
});

@Controller()
class WriteController {
  @Get('write')
  write(@Session() session: Session) {
    session.n = 1;
    return 'ok';
  }
}

describe.each(PLATFORMS)('the Secure warning, on %s', (platform: Platform) => {
  async function warningsFor(setup: AppSetup, requests: { host: string; proto?: string }[]) {
    const warnings: string[] = [];
    const original = Logger.prototype.warn;
    Logger.prototype.warn = function (message: unknown) {
      warnings.push(String(message));
    };
    const app = await createApp(platform, { controllers: [WriteController], ...setup });
    try {
      const cookies = [];
      for (const { host, proto } of requests) {
        const req = request(app.getHttpServer()).get('/write').set('Host', host);
        if (proto) req.set('X-Forwarded-Proto', proto);
        cookies.push(setCookies(await req.expect(200))[0]);
      }
      return { warnings, cookies };
    } finally {
      Logger.prototype.warn = original;
      await app.close();
    }
  }

  it('still sends a Secure cookie over plain HTTP to another host, and warns once why browsers drop it', async () => {
    const { warnings, cookies } = await warningsFor({}, [
      { host: 'example.com' },
      { host: 'example.com' },
    ]);
    expect(cookies.every((c) => c.attributes.secure === true)).toBe(true);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/plain HTTP/);
    expect(warnings[0]).toMatch(/secureProxy/);
    expect(warnings[0]).not.toContain(cookies[0].value);
  });

  it('does not warn for localhost, nor behind a trusted proxy that says HTTPS', async () => {
    const local = await warningsFor({}, [
      { host: 'localhost:3000' },
      { host: '127.0.0.1:3000' },
      { host: '[::1]:3000' },
    ]);
    expect(local.warnings).toEqual([]);
    const proxied = await warningsFor({ session: { secureProxy: true } }, [
      { host: 'example.com', proto: 'https' },
    ]);
    expect(proxied.warnings).toEqual([]);
  });

  it("with secure: 'auto' marks the cookie Secure only on HTTPS (per X-Forwarded-Proto with secureProxy)", async () => {
    const { warnings, cookies } = await warningsFor(
      { session: { secure: 'auto', secureProxy: true } },
      [{ host: 'example.com' }, { host: 'example.com', proto: 'https' }],
    );
    expect(cookies.map((c) => c.attributes.secure === true)).toEqual([false, true]);
    expect(warnings).toEqual([]);
  });

  it('ignores X-Forwarded-Proto without secureProxy', async () => {
    const { cookies } = await warningsFor({ session: { secure: 'auto' } }, [
      { host: 'example.com', proto: 'https' },
    ]);
    expect(cookies[0].attributes.secure).toBeUndefined();
  });
});
