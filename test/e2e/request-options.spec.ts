import { Body, Controller, Post, Req, Res, type INestApplication } from '@nestjs/common';
import request from 'supertest';
import { Session, SessionService } from '../../lib/index.js';
import { TestClock } from '../support/clock.js';
import { cookieHeader, setCookies } from '../support/cookies.js';
import { sealTimes } from '../support/seal.js';
import { PLATFORMS, createApp } from './support/create-app.js';
import { recordingLogger } from './support/recording-logger.js';

const DAY = 86_400_000;
/** A priority that, echoed raw, would print a line of its own in the application's log. */
const FORGED_PRIORITY = 'x\n[Nest] 1 - LOG forged line';

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
    Object.assign(req.sessionOptions, { sameSite: 'strict', httpOnly: false, priority: 'high' });
    return { ok: true };
  }

  @Post('drop-secure')
  dropSecure(@Session() session: Session, @Req() req: any) {
    session.x = 1;
    req.sessionOptions.secure = 'auto';
    return { ok: true };
  }

  @Post('forged-priority')
  forgedPriority(@Session() session: Session, @Req() req: any) {
    session.x = 1;
    req.sessionOptions.priority = FORGED_PRIORITY;
    return { ok: true };
  }

  @Post('forged-priority-manual')
  forgedPriorityManual(@Session() session: Session, @Req() req: any, @Res() res: any) {
    session.x = 1;
    req.sessionOptions.priority = FORGED_PRIORITY;
    res.status(200).send({ manual: true });
  }

  @Post('partition')
  partition(@Session() session: Session, @Req() req: any) {
    session.user = 'mallory';
    req.sessionOptions.partitioned = true;
    return { ok: true };
  }

  @Post('place')
  place(
    @Session() session: Session,
    @Req() req: any,
    @Body() body: { path?: string; domain?: string },
  ) {
    session.user = 'mallory';
    Object.assign(req.sessionOptions, { path: body.path, domain: body.domain });
    return { ok: true };
  }

  @Post('whoami')
  whoami(@Session() session: Session) {
    return { user: session.user ?? null };
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
      // Not the `__Host-` default, whose own rules would refuse some of the changes below first.
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
      path: '/',
      samesite: 'Strict',
      priority: 'High',
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
      const res = await request(hostApp.getHttpServer()).post('/drop-secure').expect(500);
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

  it('accepts a path and domain equal to the module’s own', async () => {
    const res = await http().post('/place').send({ path: '/' }).expect(201);
    const [cookie] = setCookies(res);
    expect(cookie.attributes.path).toBe('/');
    expect(cookie.attributes.domain).toBeUndefined();

    const placedApp = await createApp(platform, {
      controllers: [RememberController],
      session: { name: 'app_session', path: '/app', domain: 'example.com' },
    });
    try {
      const placed = await request(placedApp.getHttpServer())
        .post('/place')
        .send({ path: '/app', domain: 'example.com' })
        .expect(201);
      expect(setCookies(placed)[0].attributes).toMatchObject({
        path: '/app',
        domain: 'example.com',
      });
    } finally {
      await placedApp.close();
    }
  });
});

// Nest's logger is global and every app created with `logger: false` (as above) silences it:
// these tests read it through an app of their own.
describe.each(PLATFORMS)('refused per-request options, on %s', (platform) => {
  let app: INestApplication;
  const logger = recordingLogger();
  /** Every line logged so far, errors with their stacks. */
  const logged = () =>
    Object.values(logger).flatMap((level) =>
      level.mock.calls
        .flat()
        .map((arg) => (arg instanceof Error ? String(arg.stack) : String(arg))),
    );
  beforeAll(async () => {
    app = await createApp(platform, {
      controllers: [RememberController],
      session: { name: 'app_session' },
      configure: (a) => a.useLogger(logger),
    });
  });
  afterAll(() => app.close());
  beforeEach(() => Object.values(logger).forEach((level) => level.mockClear()));
  const http = () => request(app.getHttpServer());

  it('refuses a forged priority with a 500 whose log quotes it, never echoes it', async () => {
    const res = await http().post('/forged-priority').expect(500);
    expect(setCookies(res)).toEqual([]);
    const lines = logged();
    expect(lines.some((line) => line.includes('request.sessionOptions.priority'))).toBe(true);
    expect(lines.some((line) => line.includes(JSON.stringify(FORGED_PRIORITY)))).toBe(true);
    expect(lines.some((line) => line.includes(FORGED_PRIORITY))).toBe(false);
  });

  it('logs a forged priority quoted when the handler wrote the response itself', async () => {
    const res = await http().post('/forged-priority-manual').expect(200);
    expect(res.body).toEqual({ manual: true });
    expect(setCookies(res)).toEqual([]);
    const lines = logged();
    expect(lines.some((line) => line.includes(JSON.stringify(FORGED_PRIORITY)))).toBe(true);
    expect(lines.some((line) => line.includes(FORGED_PRIORITY))).toBe(false);
  });

  it('refuses a partitioned cookie where the module writes an unpartitioned one, as an options error', async () => {
    const login = await http().post('/login').send({}).expect(201);
    const cookie = cookieHeader(login);
    const res = await http().post('/partition').set('Cookie', cookie).expect(500);
    expect(setCookies(res)).toEqual([]);
    const lines = logged();
    expect(
      lines.some((line) =>
        line.startsWith(
          'CookieSessionOptionsError: CookieSessionModule: option "request.sessionOptions.partitioned" must stay false',
        ),
      ),
    ).toBe(true);
    const after = await http().post('/whoami').set('Cookie', cookie).expect(201);
    expect(after.body).toEqual({ user: 'alice' });
  });

  it.each([
    ['path', { path: '/app' }],
    ['domain', { path: '/', domain: 'example.com' }],
  ])(
    'refuses a %s other than the module’s with a clear 500, leaving the client’s cookie as it was',
    async (option, place) => {
      const login = await http().post('/login').send({}).expect(201);
      const cookie = cookieHeader(login);
      const res = await http().post('/place').set('Cookie', cookie).send(place).expect(500);
      expect(setCookies(res)).toEqual([]);
      expect(
        logged().some((line) => line.includes(`request.sessionOptions.${option}" must stay`)),
      ).toBe(true);
      const after = await http().post('/whoami').set('Cookie', cookie).expect(201);
      expect(after.body).toEqual({ user: 'alice' });
    },
  );
});
