import {
  CanActivate,
  Controller,
  ExecutionContext,
  Get,
  Injectable,
  Module,
  Req,
  UseGuards,
  type INestApplication,
} from '@nestjs/common';
import request from 'supertest';
import { CookieSessionModule, Session, SessionCodec, SessionService } from '../../lib/index.js';
import { TestClock } from '../support/clock.js';
import { cookieHeader, setCookies } from '../support/cookies.js';
import { sealTimes } from '../support/seal.js';
import { PLATFORMS, SECRET, createApp, type AppSetup } from './support/create-app.js';
import { SessionController } from './support/session.controller.js';

const NAME = '__Host-session';
const MINUTE = 60_000;

/** Server-side state a real app would keep in a database: users logged out everywhere. */
@Injectable()
class Revocations {
  readonly revoked = new Set<string>();
  calls = 0;
  failing = false;
  check(session: Readonly<Record<string, unknown>>): boolean {
    this.calls++;
    if (this.failing) throw new Error('user store unavailable');
    return !this.revoked.has(String(session.user));
  }
}
@Module({ providers: [Revocations], exports: [Revocations] })
class RevocationModule {}

@Injectable()
class UserGuard implements CanActivate {
  constructor(private readonly sessions: SessionService) {}
  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest();
    (req.raw ?? req).guardSaw = this.sessions.get().user ?? null;
    return true;
  }
}

/** What `/slow` does before it answers: a response held back as long as a client likes. */
const slowResponse = { hold: () => {} };

@Controller()
class WhoController {
  @Get('slow')
  slow(@Session() session: Session) {
    slowResponse.hold();
    return { user: session.user ?? null };
  }

  @Get('who')
  @UseGuards(UserGuard)
  who(@Session() session: Session, @Req() req: any) {
    const raw = req.raw ?? req;
    return { user: session.user ?? null, middleware: raw.middlewareSaw, guard: raw.guardSaw };
  }
}

describe.each(PLATFORMS)('validate, on %s', (platform) => {
  const clock = new TestClock();
  let revocations: Revocations;
  const apps: INestApplication[] = [];
  const open = async (setup: AppSetup = {}) => {
    const app = await createApp(platform, {
      controllers: [SessionController, WhoController],
      providers: [UserGuard],
      session: { validate: (session) => revocations.check(session) },
      // Registered with app.use: runs before guards, after the session was validated.
      configure: (a) =>
        a.use((req: any, _res: unknown, next: () => void) => {
          req.middlewareSaw = { user: req.session.user ?? null, validations: revocations.calls };
          next();
        }),
      ...setup,
    });
    apps.push(app);
    return () => request(app.getHttpServer());
  };
  beforeEach(() => {
    revocations = new Revocations();
    clock.install();
  });
  afterEach(async () => {
    clock.uninstall();
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });

  it('runs before middleware and guards, which see the session it kept', async () => {
    const http = await open();
    const login = await http().post('/set').send({ user: 'alice' }).expect(201);
    const res = await http().get('/who').set('Cookie', cookieHeader(login)).expect(200);
    expect(res.body).toEqual({
      user: 'alice',
      middleware: { user: 'alice', validations: 1 },
      guard: 'alice',
    });
  });

  it('ends a refused session before anyone reads it, and clears its cookie', async () => {
    const http = await open();
    const login = await http().post('/set').send({ user: 'alice' }).expect(201);
    revocations.revoked.add('alice');
    const res = await http().get('/who').set('Cookie', cookieHeader(login)).expect(200);
    expect(res.body).toEqual({
      user: null,
      middleware: { user: null, validations: 1 },
      guard: null,
    });
    expect(setCookies(res)).toEqual([expect.objectContaining({ name: NAME, value: '' })]);
  });

  it('fails the request with a 500 and keeps the cookie when validate throws', async () => {
    const http = await open();
    const login = await http().post('/set').send({ user: 'alice' }).expect(201);
    revocations.failing = true;
    const res = await http().get('/who').set('Cookie', cookieHeader(login)).expect(500);
    expect(setCookies(res)).toEqual([]);
    revocations.failing = false;
    const later = await http().get('/who').set('Cookie', cookieHeader(login)).expect(200);
    expect(later.body.user).toBe('alice');
  });

  it('is not called for a request without a valid session', async () => {
    const http = await open();
    await http().get('/who').expect(200);
    await http().get('/who').set('Cookie', `${NAME}=forged`).expect(200);
    expect(revocations.calls).toBe(0);
  });

  it('judges a seal at the time its request came in: one refused as from the future stays refused later in the request', async () => {
    // A server whose clock runs 61 s ahead sealed it: refused on entry, so validate did not run.
    // A middleware then takes 2 s (a slow upload, a lookup): the seal must not open after it.
    const http = await open({
      configure: (a) =>
        a.use((_req: unknown, _res: unknown, next: () => void) => {
          clock.advance(2_000);
          next();
        }),
    });
    const ahead = new SessionCodec({ secret: SECRET }).seal({ user: 'alice' }, Date.now() + 61_000);
    const res = await http().get('/who').set('Cookie', `${NAME}=${ahead}`).expect(200);
    expect(res.body.user).toBeNull();
    expect(revocations.calls).toBe(0);
  });

  it('checks a seal made by SessionCodec on its first request, whatever validateInterval says', async () => {
    const http = await open({
      session: {
        validate: (session) => revocations.check(session),
        validateInterval: 10 * MINUTE,
      },
    });
    revocations.revoked.add('mallory');
    const forged = new SessionCodec({ secret: SECRET }).seal({ user: 'mallory' });
    const res = await http().get('/who').set('Cookie', `${NAME}=${forged}`).expect(200);
    expect(res.body.user).toBeNull();
    expect(revocations.calls).toBe(1);
  });

  it('records when the check ran, not when a response held back was sealed', async () => {
    const http = await open({
      session: {
        validate: (session) => revocations.check(session),
        validateInterval: 10 * MINUTE,
      },
    });
    const login = await http().post('/set').send({ user: 'alice' }).expect(201);
    clock.advance(11 * MINUTE);
    const checkedAt = Date.now();
    // The check passes as the request comes in; its response leaves 9 minutes later.
    slowResponse.hold = () => clock.advance(9 * MINUTE);
    try {
      const res = await http().get('/slow').set('Cookie', cookieHeader(login)).expect(200);
      expect(revocations.calls).toBe(1);
      const [resealed] = setCookies(res);
      const times = sealTimes(resealed.value);
      expect(times.validatedAt).toBeGreaterThanOrEqual(checkedAt);
      expect(times.validatedAt).toBeLessThan(checkedAt + MINUTE);
      // So the next check is due 10 minutes after the check, not after the response.
      slowResponse.hold = () => {};
      revocations.revoked.add('alice');
      clock.advance(2 * MINUTE);
      const after = await http().get('/who').set('Cookie', cookieHeader(res)).expect(200);
      expect(after.body.user).toBeNull();
    } finally {
      slowResponse.hold = () => {};
    }
  });

  it('is called again only once validateInterval has passed, and records when it passed', async () => {
    const http = await open({
      session: {
        validate: (session) => revocations.check(session),
        validateInterval: 10 * MINUTE,
        autoRenew: false,
      },
    });
    const login = await http().post('/set').send({ user: 'alice' }).expect(201);
    const jar = cookieHeader(login);
    clock.advance(9 * MINUTE);
    const within = await http().get('/who').set('Cookie', jar).expect(200);
    expect(within.body.user).toBe('alice');
    expect(revocations.calls).toBe(0);
    expect(setCookies(within)).toEqual([]);
    clock.advance(2 * MINUTE);
    const sent = Date.now();
    const due = await http().get('/who').set('Cookie', jar).expect(200);
    expect(revocations.calls).toBe(1);
    const [resealed] = setCookies(due);
    const { validatedAt, issuedAt } = sealTimes(resealed.value);
    expect(validatedAt).toBeGreaterThanOrEqual(sent);
    expect(validatedAt).toBeLessThanOrEqual(issuedAt);
    const jar2 = cookieHeader(due, jar);
    clock.advance(5 * MINUTE);
    await http().get('/who').set('Cookie', jar2).expect(200);
    expect(revocations.calls).toBe(1);
  });

  it('takes validate from a forRootAsync factory closing over an injected service', async () => {
    const http = await open({
      noSessionModule: true,
      imports: [
        RevocationModule,
        CookieSessionModule.forRootAsync({
          imports: [RevocationModule],
          inject: [Revocations],
          useFactory: (store: Revocations) => ({
            secret: SECRET,
            validate: (session) => store.check(session),
          }),
        }),
      ],
    });
    const app = apps[apps.length - 1];
    const store = app.get(Revocations);
    revocations = store; // the middleware reports this store's count
    const login = await http().post('/set').send({ user: 'bob' }).expect(201);
    expect((await http().get('/who').set('Cookie', cookieHeader(login))).body.user).toBe('bob');
    store.revoked.add('bob');
    const res = await http().get('/who').set('Cookie', cookieHeader(login)).expect(200);
    expect(res.body.user).toBeNull();
    expect(store.calls).toBe(2);
  });
});
