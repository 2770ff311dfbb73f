import { Body, Controller, Post, Req, type INestApplication } from '@nestjs/common';
import request from 'supertest';
import { Session, SessionService } from '../../lib/index.js';
import { TestClock } from '../support/clock.js';
import { cookieHeader, setCookies } from '../support/cookies.js';
import { sealTimes } from '../support/seal.js';
import { PLATFORMS, createApp } from './support/create-app.js';

const DAY = 86_400_000;

@Controller()
class RememberController {
  constructor(private readonly sessions: SessionService) {}

  @Post('login')
  login(@Session() session: Session, @Body() body: { remember?: boolean }, @Req() req: any) {
    session.user = 'alice';
    if (body.remember) {
      // "remember me" for this user only: the cookie-session recipe, through either handle.
      this.sessions.options.maxAge = 30 * DAY;
      session.maxAge = 30 * DAY;
    }
    return { same: this.sessions.options === req.sessionOptions };
  }

  @Post('attributes')
  attributes(@Session() session: Session, @Req() req: any) {
    session.x = 1;
    Object.assign(req.sessionOptions, {
      path: '/app',
      sameSite: 'strict',
      httpOnly: false,
      domain: 'example.com',
    });
    return { ok: true };
  }

  @Post('bad-max-age')
  badMaxAge(@Session() session: Session, @Req() req: any) {
    session.x = 1;
    req.sessionOptions.maxAge = 'thirty days';
    return { ok: true };
  }

  @Post('module-options-untouched')
  untouched(@Req() req: any) {
    return {
      maxAge: req.sessionOptions.maxAge,
      hasSecret: 'keys' in req.sessionOptions || 'secret' in req.sessionOptions,
    };
  }
}

describe.each(PLATFORMS)('per-request options, on %s', (platform) => {
  let app: INestApplication;
  beforeAll(async () => {
    app = await createApp(platform, {
      controllers: [RememberController],
      // Not the `__Host-` default: these tests change Path and Domain, which that prefix forbids.
      session: { name: 'app_session' },
      configure: (a) =>
        // Per-user sticky max age, the recipe cookie-session users know.
        a.use((req: any, _res: unknown, next: () => void) => {
          if (typeof req.session.maxAge === 'number')
            req.sessionOptions.maxAge = req.session.maxAge;
          next();
        }),
    });
  });
  afterAll(() => app.close());
  const http = () => request(app.getHttpServer());

  it('changes this response’s cookie and the seal’s expiry (remember me), and only for this user', async () => {
    const remembered = await http().post('/login').send({ remember: true }).expect(201);
    expect(remembered.body.same).toBe(true);
    const [long] = setCookies(remembered);
    expect(long.attributes['max-age']).toBe(String((30 * DAY) / 1000));
    const seal = sealTimes(long.value);
    expect(seal.expiresAt - seal.issuedAt).toBe(30 * DAY);

    const plain = await http().post('/login').send({}).expect(201);
    expect(setCookies(plain)[0].attributes['max-age']).toBe(String(DAY / 1000));
  });

  it('stays sticky on later requests through the recipe, and in the renewal once it is due', async () => {
    const clock = new TestClock().install();
    try {
      const remembered = await http().post('/login').send({ remember: true }).expect(201);
      const cookie = cookieHeader(remembered);
      const early = await http()
        .post('/module-options-untouched')
        .set('Cookie', cookie)
        .expect(201);
      expect(early.body).toEqual({ maxAge: 30 * DAY, hasSecret: false });
      expect(setCookies(early)).toEqual([]);
      clock.advance(16 * DAY); // past half of the 30 days: renewal due
      const later = await http()
        .post('/module-options-untouched')
        .set('Cookie', cookie)
        .expect(201);
      expect(later.body).toEqual({ maxAge: 30 * DAY, hasSecret: false });
      expect(setCookies(later)[0].attributes['max-age']).toBe(String((30 * DAY) / 1000));
    } finally {
      clock.uninstall();
    }
  });

  it('changes the cookie attributes of this response only', async () => {
    const changed = await http().post('/attributes').expect(201);
    expect(setCookies(changed)[0].attributes).toMatchObject({
      path: '/app',
      samesite: 'Strict',
      domain: 'example.com',
    });
    expect(setCookies(changed)[0].attributes.httponly).toBeUndefined();
    const next = await http().post('/login').send({}).expect(201);
    expect(setCookies(next)[0].attributes).toMatchObject({
      path: '/',
      samesite: 'Lax',
      httponly: true,
    });
  });

  it('refuses per-request attributes the __Host- prefix forbids, writing no cookie', async () => {
    const hostApp = await createApp(platform, { controllers: [RememberController] });
    try {
      const res = await request(hostApp.getHttpServer()).post('/attributes').expect(500);
      expect(setCookies(res)).toEqual([]);
    } finally {
      await hostApp.close();
    }
  });

  it('starts every request from the module’s options', async () => {
    await http().post('/login').send({ remember: true }).expect(201);
    const fresh = await http().post('/module-options-untouched').expect(201);
    expect(fresh.body.maxAge).toBe(DAY);
  });

  it('refuses a per-request maxAge that is not a duration with a clear error, writing no cookie', async () => {
    const res = await http().post('/bad-max-age').expect(500);
    expect(setCookies(res)).toEqual([]);
  });
});
