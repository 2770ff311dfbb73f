import {
  Controller,
  Get,
  Injectable,
  UseGuards,
  type CanActivate,
  type INestApplication,
} from '@nestjs/common';
import request from 'supertest';
import { Session, SessionCodec, SessionService } from '../../lib/index.js';
import { PLATFORMS, SECRET, createApp } from '../e2e/support/create-app.js';
import { cookieHeader } from '../e2e/support/cookies.js';

@Injectable()
class LoggedInGuard implements CanActivate {
  constructor(private readonly sessions: SessionService) {}

  canActivate(): boolean {
    return this.sessions.get<{ userId?: number }>().userId !== undefined;
  }
}

@Controller()
class ProfileController {
  @Get('profile')
  @UseGuards(LoggedInGuard)
  profile(@Session() session: Session<{ userId?: number; notes?: string }>) {
    return { userId: session.userId, notes: session.notes?.length ?? 0 };
  }
}

describe.each(PLATFORMS)('SessionService.toCookieHeader() in supertest on %s', (platform) => {
  let app: INestApplication;

  afterEach(async () => {
    await app?.close();
  });

  it('reaches a logged-in route without a login flow', async () => {
    app = await createApp(platform, { controllers: [ProfileController] });

    // README: test kit
    const sessions = app.get(SessionService);
    const res = await request(app.getHttpServer())
      .get('/profile')
      .set('Cookie', sessions.toCookieHeader({ userId: 42 }));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ userId: 42, notes: 0 });

    // A fresh seal is not due for renewal: the client goes on with the cookie it sent.
    const next = await request(app.getHttpServer())
      .get('/profile')
      .set('Cookie', cookieHeader(res, sessions.toCookieHeader({ userId: 42 })));
    expect(next.body).toEqual({ userId: 42, notes: 0 });
  });

  it('is refused without the cookie, or with a cookie sealed under another secret', async () => {
    app = await createApp(platform, { controllers: [ProfileController] });
    const server = app.getHttpServer();
    expect((await request(server).get('/profile')).status).toBe(403);

    const stranger = new SessionCodec({ secret: 'another-secret-that-is-long-enough-0123456789' });
    const forged = `__Host-session=${stranger.seal({ userId: 42 })}`;
    expect((await request(server).get('/profile').set('Cookie', forged)).status).toBe(403);
  });

  it("follows the module's options: cookie name and chunks", async () => {
    app = await createApp(platform, {
      controllers: [ProfileController],
      session: { name: 'sid', maxChunks: 3 },
    });
    const header = app.get(SessionService).toCookieHeader({ userId: 7, notes: 'x'.repeat(6000) });
    expect(header).toMatch(/^sid=[^;]+; sid\.1=[^;]+$/);

    const res = await request(app.getHttpServer()).get('/profile').set('Cookie', header);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ userId: 7, notes: 6000 });
  });

  it('round-trips through fromCookieHeader()', async () => {
    app = await createApp(platform, { controllers: [ProfileController] });
    const sessions = app.get(SessionService);
    const header = sessions.toCookieHeader({ userId: 5 });
    expect(sessions.fromCookieHeader(header)).toEqual({ userId: 5 });
    expect(
      new SessionCodec({ secret: SECRET }).open(header.replace(/^__Host-session=/, '')),
    ).toEqual({
      userId: 5,
    });
  });
});

describe.each(PLATFORMS)(
  'a toCookieHeader() cookie under validate and a validateInterval, on %s',
  (platform) => {
    let app: INestApplication;
    let revoked: Set<unknown>;
    let validations: number;

    beforeEach(async () => {
      revoked = new Set();
      validations = 0;
      app = await createApp(platform, {
        controllers: [ProfileController],
        session: {
          validateInterval: 60_000,
          validate: (session) => {
            validations++;
            return !revoked.has(session.userId);
          },
        },
      });
    });
    afterEach(() => app.close());

    it('is refused on its first request when its user was revoked', async () => {
      revoked.add(42);
      const res = await request(app.getHttpServer())
        .get('/profile')
        .set('Cookie', app.get(SessionService).toCookieHeader({ userId: 42 }));
      expect(res.status).toBe(403);
      expect(validations).toBe(1);
    });

    it('is validated on its first request, and the cookie then set carries the passed check', async () => {
      const sent = app.get(SessionService).toCookieHeader({ userId: 42 });
      const first = await request(app.getHttpServer()).get('/profile').set('Cookie', sent);
      expect(first.body).toEqual({ userId: 42, notes: 0 });
      expect(validations).toBe(1);

      const next = await request(app.getHttpServer())
        .get('/profile')
        .set('Cookie', cookieHeader(first, sent));
      expect(next.body).toEqual({ userId: 42, notes: 0 });
      expect(validations).toBe(1);
    });
  },
);
