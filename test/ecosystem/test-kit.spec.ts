import {
  Body,
  Controller,
  Get,
  Injectable,
  Post,
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

@Controller()
class AccountController {
  constructor(private readonly sessions: SessionService) {}

  @Post('login')
  login(@Body() body: { userId: number; notes?: string }) {
    Object.assign(this.sessions.regenerate(), body);
    return {};
  }

  @Post('logout')
  logout() {
    this.sessions.destroy();
    return {};
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

describe.each(PLATFORMS)(
  "fromCookieHeader() given a response's Set-Cookie lines, on %s",
  (platform) => {
    let app: INestApplication;
    let sessions: SessionService;

    beforeAll(async () => {
      app = await createApp(platform, {
        controllers: [AccountController],
        session: { maxChunks: 2 },
      });
      sessions = app.get(SessionService);
    });
    afterAll(() => app.close());
    const http = () => request(app.getHttpServer());

    it('gives the session the response set, over chunks too, and nothing once it was ended', async () => {
      const large = await http()
        .post('/login')
        .send({ userId: 7, notes: 'x'.repeat(6000) });
      expect(large.headers['set-cookie']).toHaveLength(2);
      const read = sessions.fromCookieHeader<{ userId: number; notes: string }>(
        large.headers['set-cookie'],
      );
      expect({ userId: read?.userId, notes: read?.notes.length }).toEqual({
        userId: 7,
        notes: 6000,
      });

      // Back to one cookie: the response also expires the second chunk.
      const small = await http()
        .post('/login')
        .set('Cookie', cookieHeader(large))
        .send({ userId: 8 });
      expect(sessions.fromCookieHeader(small.headers['set-cookie'])).toEqual({ userId: 8 });
      await expect(sessions.fromCookieHeaderValidated(small.get('Set-Cookie'))).resolves.toEqual({
        userId: 8,
      });

      const logout = await http().post('/logout').set('Cookie', cookieHeader(small));
      expect(logout.headers['set-cookie']).not.toHaveLength(0);
      expect(sessions.fromCookieHeader(logout.headers['set-cookie'])).toBeUndefined();
    });

    it('refuses anything but a Cookie header, Set-Cookie lines or undefined, saying what it takes', async () => {
      for (const wrong of [42, null, { cookie: 'a=b' }, [1]]) {
        expect(() => sessions.fromCookieHeader(wrong as never)).toThrow(
          new TypeError(
            'Expected a Cookie header (a string), Set-Cookie lines (an array of strings) or undefined',
          ),
        );
        await expect(sessions.fromCookieHeaderValidated(wrong as never)).rejects.toThrow(TypeError);
        // Also for a request of another origin, which gets no session anyway.
        const crossOrigin = { headers: { host: 'app.test', origin: 'https://evil.test' } };
        await expect(
          sessions.fromCookieHeaderValidated(wrong as never, crossOrigin),
        ).rejects.toThrow(TypeError);
      }
      expect(sessions.fromCookieHeader(undefined)).toBeUndefined();
      expect(sessions.fromCookieHeader([])).toBeUndefined();
    });
  },
);
