import { Controller, Get, Post, type INestApplication } from '@nestjs/common';
import request from 'supertest';
import { Session, SessionService } from '../../lib/index.js';
import { CookieJar, isClearing, setCookies } from '../e2e/support/cookies.js';
import { PLATFORMS, createApp } from '../e2e/support/create-app.js';
import { signedOldCookie } from './cookie-session-app.js';
import { WhoAmIController } from './who-am-i.controller.js';

const OLD_KEY = 'the old app key, as it always was';
const ALICE = { id: 7, name: 'alice' };
const MALLORY = { id: 666, name: 'mallory' };

@Controller()
class AccountController {
  constructor(private readonly sessions: SessionService) {}

  @Get('login')
  login(@Session() session: Session) {
    session.user = ALICE;
    return {};
  }

  @Get('count')
  count(@Session() session: Session) {
    session.views = Number(session.views ?? 0) + 1;
    return {};
  }

  @Post('logout')
  logout() {
    this.sessions.destroy();
    return {};
  }
}

/**
 * An old library's cookie can come back beside the new seal: an instance of the old app sets it
 * again during a rolling deploy, or a sibling subdomain tosses one in (the old names carry no
 * `__Host-` prefix). It must neither survive a logout nor replace the session a request carries.
 */
describe.each(PLATFORMS)("a replaced library's cookie beside the session, on %s", (platform) => {
  let app: INestApplication | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  async function start(session: object = {}) {
    app = await createApp(platform, {
      controllers: [WhoAmIController, AccountController],
      session: { legacy: { cookieSession: { keys: [OLD_KEY] } }, ...session },
    });
    return request(app.getHttpServer());
  }

  async function sealOf(http: request.Agent | ReturnType<typeof request>) {
    const login = await http.get('/login').expect(200);
    const seal = setCookies(login).find((c) => c.name === '__Host-session');
    expect(seal?.value).toBeTruthy();
    return `__Host-session=${seal!.value}`;
  }

  it('expires the old cookies at logout, so the next request is logged out', async () => {
    const http = await start();
    const seal = await sealOf(http);
    const old = signedOldCookie(OLD_KEY, { user: ALICE });
    const logout = await http.post('/logout').set('Cookie', `${seal}; ${old}`).expect(201);
    for (const name of ['__Host-session', 'session', 'session.sig']) {
      expect(setCookies(logout).find((c) => c.name === name && isClearing(c))).toBeDefined();
    }
    // What the browser holds once it applied the logout's lines: nothing that logs anyone in.
    const jar = CookieJar.from(`${seal}; ${old}`).update(logout);
    expect(jar.names()).toEqual([]);
    const after = await http.get('/whoami').set('Cookie', jar.header()).expect(200);
    expect(after.body).toEqual({ user: null, isNew: true });
  });

  it('expires the old cookies when the session is written, and keeps the seal', async () => {
    const http = await start();
    const seal = await sealOf(http);
    const old = signedOldCookie(OLD_KEY, { user: MALLORY });
    const res = await http.get('/count').set('Cookie', `${seal}; ${old}`).expect(200);
    const lines = setCookies(res);
    expect(lines.find((c) => c.name === '__Host-session')?.value).toBeTruthy();
    expect(lines.filter((c) => c.name.startsWith('session') && isClearing(c))).toHaveLength(2);
  });

  it('adopts no old cookie when the session cookie came twice (one tossed in)', async () => {
    const http = await start();
    const seal = await sealOf(http);
    const tossed = `${seal}; __Host-session=tossed; ${signedOldCookie(OLD_KEY, { user: MALLORY })}`;
    const res = await http.get('/whoami').set('Cookie', tossed).expect(200);
    expect(res.body).toEqual({ user: null, isNew: true });
    expect(setCookies(res).filter((c) => !isClearing(c))).toEqual([]);
  });

  // The session cookie's partitioning, the old cookie's as configured, and what the lines
  // expiring the old cookies must say to reach them.
  it.each([
    ['an unpartitioned app whose old cookies were partitioned', false, true, true],
    ['a partitioned app, the old cookies as the session cookie', true, undefined, true],
    ['a partitioned app whose old cookies were not', true, false, false],
  ])(
    'expires the old cookies where they live: %s',
    async (_, partitioned, oldPartitioned, expected) => {
      const http = await start({
        legacy: { cookieSession: { keys: [OLD_KEY], partitioned: oldPartitioned } },
        ...(partitioned ? { partitioned, sameSite: 'none' } : { secure: 'auto', name: 'sid' }),
      });
      const res = await http
        .get('/whoami')
        .set('Cookie', signedOldCookie(OLD_KEY, { user: ALICE }))
        .expect(200);
      expect(res.body).toEqual({ user: ALICE, isNew: false });
      const lines = setCookies(res);
      const name = partitioned ? '__Host-session' : 'sid';
      expect('partitioned' in lines.find((c) => c.name === name)!.attributes).toBe(partitioned);
      const old = lines.filter((c) => c.name.startsWith('session'));
      expect(old).toHaveLength(2);
      for (const line of old) {
        expect(isClearing(line)).toBe(true);
        expect('partitioned' in line.attributes).toBe(expected);
        // A partitioned cookie was set Secure and lives in cross-site embeds: only a Secure,
        // SameSite=None line reaches it there.
        if (expected) expect(line.attributes).toMatchObject({ secure: true, samesite: 'None' });
      }
    },
  );
});
