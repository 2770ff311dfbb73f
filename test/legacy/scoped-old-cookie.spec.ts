import { Controller, Post, type INestApplication } from '@nestjs/common';
import request from 'supertest';
import { SessionService } from '../../lib/index.js';
import { setCookies } from '../e2e/support/cookies.js';
import { PLATFORMS, createApp } from '../e2e/support/create-app.js';
import { cookieHeaderOf, logIn, startCookieSessionApp } from './cookie-session-app.js';
import { asSentByBrowser, writeCookieSessionsValue } from './cookie-sessions-format.js';
import { WhoAmIController } from './who-am-i.controller.js';

const OLD_KEYS = ['the old app key, as it always was'];
const OLD_SECRET = 'exactly-thirty-two-bytes-secret!';
const ALICE = { id: 7, name: 'alice' };

@Controller()
class LogoutController {
  constructor(private readonly sessions: SessionService) {}

  @Post('logout')
  logout() {
    this.sessions.destroy();
    return {};
  }
}

/**
 * A browser drops a cookie only when told so for the cookie's own path and domain. An old app
 * that set its cookie on a domain or a path (a cookie shared with subdomains, an app under
 * `/app`) has it expired there, on adoption and on logout: otherwise the old cookie would stay
 * and log its user in again after logging out.
 */
describe.each(PLATFORMS)('expiring an old cookie set on a domain and a path, on %s', (platform) => {
  let app: INestApplication | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  const where = { path: '/app', domain: 'example.test' };

  function expectExpiredWhereItLives(res: request.Response, names: string[]) {
    for (const name of names) {
      const line = setCookies(res).find((c) => c.name === name);
      expect(line).toMatchObject({
        value: '',
        attributes: { 'max-age': '0', path: '/app', domain: 'example.test' },
      });
    }
  }

  it('expires cookie-session cookies at their path and domain on adoption and on logout', async () => {
    const oldApp = await startCookieSessionApp({ keys: OLD_KEYS });
    try {
      const oldCookies = cookieHeaderOf(await logIn(oldApp, ALICE));
      app = await createApp(platform, {
        controllers: [WhoAmIController, LogoutController],
        session: { legacy: { cookieSession: { keys: OLD_KEYS, ...where } } },
      });
      const adopted = await request(app.getHttpServer())
        .get('/whoami')
        .set('Cookie', oldCookies)
        .expect(200);
      expect(adopted.body).toEqual({ user: ALICE, isNew: false });
      expectExpiredWhereItLives(adopted, ['session', 'session.sig']);
      // A browser that still sent the old cookies on logout (the adoption's answer was lost).
      const logout = await request(app.getHttpServer())
        .post('/logout')
        .set('Cookie', oldCookies)
        .expect(201);
      expectExpiredWhereItLives(logout, ['session', 'session.sig']);
      expect(setCookies(logout).find((c) => c.name === '__Host-session')).toMatchObject({
        value: '',
        attributes: { path: '/' },
      });
    } finally {
      await oldApp.close();
    }
  });

  it('expires a cookie-sessions cookie at its path and domain', async () => {
    app = await createApp(platform, {
      controllers: [WhoAmIController],
      session: { legacy: { cookieSessions: { secret: OLD_SECRET, ...where } } },
    });
    const value = asSentByBrowser(
      writeCookieSessionsValue(OLD_SECRET, { user: ALICE }, Date.now()),
    );
    const adopted = await request(app.getHttpServer())
      .get('/whoami')
      .set('Cookie', `_node=${value}`)
      .expect(200);
    expect(adopted.body).toEqual({ user: ALICE, isNew: false });
    expectExpiredWhereItLives(adopted, ['_node']);
  });
});
