import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { SessionService, type CookieSessionOptions } from '../../lib/index.js';
import { TestClock } from '../support/clock.js';
import { cookieHeader } from '../support/cookies.js';
import { PLATFORMS, createApp } from './support/create-app.js';
import { SessionController } from './support/session.controller.js';
import { Revocations } from './support/revocations.js';

const MINUTE = 60_000;

describe.each(PLATFORMS)('SessionService.fromCookieHeaderValidated, on %s', (platform) => {
  const clock = new TestClock();
  let revocations: Revocations;
  let app: INestApplication | undefined;
  const open = async (session: Partial<CookieSessionOptions> = {}) => {
    app = await createApp(platform, {
      controllers: [SessionController],
      session: { validate: (data, req) => revocations.check(data, req), ...session },
    });
    return app.get(SessionService);
  };
  beforeEach(() => {
    revocations = new Revocations();
    clock.install();
  });
  afterEach(async () => {
    clock.uninstall();
    await app?.close();
    app = undefined;
  });

  it('gives the data of a session validate keeps, and passes validate the caller’s request', async () => {
    const sessions = await open();
    const handshake = { url: '/ws' };
    const header = sessions.toCookieHeader({ user: 'alice' });
    await expect(sessions.fromCookieHeaderValidated(header, handshake)).resolves.toEqual({
      user: 'alice',
    });
    expect(revocations.requests).toEqual([handshake]);
  });

  it('refuses a revoked user (undefined), also with a cookie from an HTTP login', async () => {
    const sessions = await open();
    const login = await request(app!.getHttpServer()).post('/set').send({ user: 'bob' });
    const header = cookieHeader(login);
    await expect(sessions.fromCookieHeaderValidated(header)).resolves.toEqual({ user: 'bob' });
    revocations.revoked.add('bob');
    await expect(sessions.fromCookieHeaderValidated(header)).resolves.toBeUndefined();
    // The plain reader does not ask validate: that is what this method is for.
    expect(sessions.fromCookieHeader(header)).toEqual({ user: 'bob' });
  });

  it('refuses a session when validate answers anything but true', async () => {
    const sessions = await open({ validate: () => undefined as unknown as boolean });
    await expect(
      sessions.fromCookieHeaderValidated(sessions.toCookieHeader({ user: 'carol' })),
    ).resolves.toBeUndefined();
  });

  it('rejects with the error validate throws or rejects with, never giving the data', async () => {
    const sessions = await open();
    const header = sessions.toCookieHeader({ user: 'dan' });
    revocations.failing = true;
    await expect(sessions.fromCookieHeaderValidated(header)).rejects.toThrow(
      'user store unavailable',
    );
    const rejecting = await reopen({
      validate: () => Promise.reject(new Error('timed out')),
    });
    await expect(
      rejecting.fromCookieHeaderValidated(rejecting.toCookieHeader({ user: 'dan' })),
    ).rejects.toThrow('timed out');
    const silent = await reopen({ validate: () => Promise.reject(undefined) });
    await expect(
      silent.fromCookieHeaderValidated(silent.toCookieHeader({ user: 'dan' })),
    ).rejects.toThrow('validate() failed');
  });

  it('does not call validate for a missing, forged or expired cookie', async () => {
    const sessions = await open();
    const header = sessions.toCookieHeader({ user: 'erin' });
    clock.advance(25 * 60 * MINUTE); // past the default maxAge of a day
    await expect(sessions.fromCookieHeaderValidated(header)).resolves.toBeUndefined();
    await expect(sessions.fromCookieHeaderValidated(undefined)).resolves.toBeUndefined();
    await expect(
      sessions.fromCookieHeaderValidated('__Host-session=forged-value'),
    ).resolves.toBeUndefined();
    expect(revocations.calls).toBe(0);
  });

  it('skips validate while the seal was validated within validateInterval, and asks on every call after', async () => {
    const sessions = await open({ validateInterval: 10 * MINUTE });
    // A login over HTTP seals a session that counts as validated then.
    const login = await request(app!.getHttpServer()).post('/set').send({ user: 'frank' });
    const header = cookieHeader(login);
    clock.advance(9 * MINUTE);
    await expect(sessions.fromCookieHeaderValidated(header)).resolves.toEqual({ user: 'frank' });
    expect(revocations.calls).toBe(0);
    clock.advance(2 * MINUTE);
    await expect(sessions.fromCookieHeaderValidated(header)).resolves.toEqual({ user: 'frank' });
    // Nothing can record the passed check in the cookie: the next call asks again.
    await expect(sessions.fromCookieHeaderValidated(header)).resolves.toEqual({ user: 'frank' });
    expect(revocations.calls).toBe(2);
    revocations.revoked.add('frank');
    await expect(sessions.fromCookieHeaderValidated(header)).resolves.toBeUndefined();
  });

  it('asks validate about a toCookieHeader() cookie at once, within validateInterval too', async () => {
    const sessions = await open({ validateInterval: 10 * MINUTE });
    const header = sessions.toCookieHeader({ user: 'heidi' });
    revocations.revoked.add('heidi');
    await expect(sessions.fromCookieHeaderValidated(header)).resolves.toBeUndefined();
    expect(revocations.calls).toBe(1);
  });

  it('reads the header as fromCookieHeader does when the module has no validate', async () => {
    const sessions = await open({ validate: undefined });
    const header = sessions.toCookieHeader({ user: 'grace' });
    for (const cookie of [
      `theme=dark; ${header}`,
      '__Host-session=forged-value',
      'other=value',
      undefined,
    ]) {
      await expect(sessions.fromCookieHeaderValidated(cookie)).resolves.toEqual(
        sessions.fromCookieHeader(cookie),
      );
    }
    await expect(sessions.fromCookieHeaderValidated(header)).resolves.toEqual({ user: 'grace' });
  });

  /** Closes the app under test and opens one with other session options. */
  async function reopen(session: Partial<CookieSessionOptions>): Promise<SessionService> {
    await app?.close();
    return open(session);
  }
});
