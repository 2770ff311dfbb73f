import {
  Body,
  CanActivate,
  Controller,
  ForbiddenException,
  Get,
  Injectable,
  Post,
  Res,
  StreamableFile,
  UseGuards,
  type INestApplication,
} from '@nestjs/common';
import { Readable } from 'node:stream';
import request from 'supertest';
import { Session, SessionCodec, SessionService } from '../../lib/index.js';
import { TestClock } from '../support/clock.js';
import { cookieHeader, setCookies } from '../support/cookies.js';
import { sealTimes } from '../support/seal.js';
import { PLATFORMS, SECRET, createApp } from './support/create-app.js';
import { SessionController } from './support/session.controller.js';

const codec = new SessionCodec({ secret: SECRET });
/** The default name: `Secure`, `Path=/` and no `Domain` allow the `__Host-` prefix. */
const NAME = '__Host-session';

@Injectable()
class RejectingGuard implements CanActivate {
  constructor(private readonly sessions: SessionService) {}
  canActivate(): boolean {
    this.sessions.get().rejectedAt = 'guard';
    return false;
  }
}

@Injectable()
class BodyGuard implements CanActivate {
  constructor(private readonly sessions: SessionService) {}
  canActivate(): boolean {
    // Runs after body parsing, which loses the async context unless the library re-enters it.
    this.sessions.get().guardSawBody = true;
    return true;
  }
}

@Controller('paths')
class PathsController {
  @Get('guard-rejects')
  @UseGuards(RejectingGuard)
  guarded() {
    return 'never';
  }

  @Get('throws')
  throws(@Session() session: Session): never {
    session.thrown = true;
    throw new ForbiddenException('no');
  }

  @Get('manual')
  manual(@Session() session: Session, @Res() res: any) {
    session.manual = true;
    res.status(200).send({ manual: true });
  }

  @Get('streamable')
  streamable(@Session() session: Session) {
    session.streamed = 'streamable';
    return new StreamableFile(Readable.from(['chunk-1 ', 'chunk-2']));
  }

  @Get('raw-stream')
  rawStream(@Session() session: Session, @Res() res: any) {
    session.streamed = 'raw';
    if (typeof res.hijack === 'function') res.hijack();
    const raw = res.raw ?? res;
    raw.statusCode = 200;
    raw.write('first ');
    session.afterHeaders = true; // too late: the headers have left
    setTimeout(() => raw.end('last'), 10);
  }

  @Post('guarded-body')
  @UseGuards(BodyGuard)
  guardedBody(@Session() session: Session, @Body() body: { n: number }) {
    session.n = body.n;
    return { ok: true };
  }

  @Get('foreign-cookie')
  foreign(@Session() session: Session, @Res({ passthrough: true }) res: any) {
    const raw = res.raw ?? res;
    raw.setHeader('set-cookie', [`${NAME}=from-elsewhere; Path=/`, 'theme=dark; Path=/']);
    session.mine = true;
    return { ok: true };
  }
}

describe.each(PLATFORMS)('saving, on %s', (platform) => {
  let app: INestApplication;
  beforeAll(async () => {
    app = await createApp(platform, {
      controllers: [SessionController, PathsController],
      providers: [RejectingGuard, BodyGuard],
    });
  });
  afterAll(() => app.close());
  const http = () => request(app.getHttpServer());

  it('sends no Set-Cookie when nothing was touched and no cookie came in', async () => {
    expect(setCookies(await http().get('/untouched').expect(200))).toEqual([]);
  });

  it('sends no Set-Cookie for a new session left empty', async () => {
    expect(setCookies(await http().get('/read').expect(200))).toEqual([]);
  });

  it('writes a new empty session with saveUninitialized', async () => {
    const guest = await createApp(platform, {
      controllers: [SessionController],
      session: { saveUninitialized: true },
    });
    try {
      const res = await request(guest.getHttpServer()).get('/read').expect(200);
      const [cookie] = setCookies(res);
      expect(codec.open(cookie.value)).toEqual({});
    } finally {
      await guest.close();
    }
  });

  it('writes changed data with a fresh seal and the configured attributes', async () => {
    const res = await http().post('/set').send({ a: 1 }).expect(201);
    const cookies = setCookies(res);
    expect(cookies).toHaveLength(1);
    const [cookie] = cookies;
    expect(cookie.name).toBe(NAME);
    expect(codec.open(cookie.value)).toEqual({ a: 1 });
    expect(cookie.attributes).toMatchObject({
      path: '/',
      httponly: true,
      secure: true,
      samesite: 'Lax',
      'max-age': '86400',
    });
    expect(
      Math.abs(new Date(String(cookie.attributes.expires)).getTime() - (Date.now() + 86_400_000)),
    ).toBeLessThan(2000);
  });

  it('passes domain, partitioned, priority and sameSite none through to the cookie', async () => {
    const custom = await createApp(platform, {
      controllers: [SessionController],
      session: {
        domain: 'example.com',
        partitioned: true,
        priority: 'high',
        sameSite: 'none',
        httpOnly: false,
      },
    });
    try {
      const res = await request(custom.getHttpServer()).post('/set').send({ a: 1 }).expect(201);
      const [cookie] = setCookies(res);
      expect(cookie.attributes).toMatchObject({
        domain: 'example.com',
        partitioned: true,
        priority: 'High',
        samesite: 'None',
        secure: true,
      });
      expect(cookie.attributes.httponly).toBeUndefined();
    } finally {
      await custom.close();
    }
  });

  it('renews an unchanged valid cookie past half its lifetime, with a later expiry', async () => {
    const clock = new TestClock().install();
    try {
      const first = await http().post('/set').send({ a: 1 }).expect(201);
      const before = sealTimes(setCookies(first)[0].value);
      clock.advance(12 * 3600_000 + 1000);
      const renewed = await http().get('/read').set('Cookie', cookieHeader(first)).expect(200);
      const [cookie] = setCookies(renewed);
      const after = sealTimes(cookie.value);
      expect(codec.open(cookie.value)).toEqual({ a: 1 });
      expect(after.expiresAt).toBeGreaterThan(before.expiresAt);
      expect(after.createdAt).toBe(before.createdAt);
    } finally {
      clock.uninstall();
    }
  });

  it('leaves an unchanged valid cookie alone when autoRenew is off', async () => {
    const quiet = await createApp(platform, {
      controllers: [SessionController],
      session: { autoRenew: false },
    });
    try {
      const first = await request(quiet.getHttpServer()).post('/set').send({ a: 1 }).expect(201);
      const read = await request(quiet.getHttpServer())
        .get('/read')
        .set('Cookie', cookieHeader(first))
        .expect(200);
      expect(read.body.data).toEqual({ a: 1 });
      expect(setCookies(read)).toEqual([]);
    } finally {
      await quiet.close();
    }
  });

  it('expires the cookie when the session is destroyed, also when the request carried none', async () => {
    const first = await http().post('/set').send({ a: 1 }).expect(201);
    const destroyed = await http().post('/destroy').set('Cookie', cookieHeader(first)).expect(201);
    const withoutCookie = await http().post('/destroy').expect(201);
    for (const res of [destroyed, withoutCookie]) {
      expect(setCookies(res)).toEqual([expect.objectContaining({ name: NAME, value: '' })]);
      expect(setCookies(res)[0].attributes['max-age']).toBe('0');
    }
  });

  it('clears the cookie when every key is deleted (an empty session is no session)', async () => {
    const first = await http().post('/set').send({ a: 1 }).expect(201);
    const emptied = await http().post('/clear-keys').set('Cookie', cookieHeader(first)).expect(201);
    expect(setCookies(emptied)[0]).toMatchObject({ name: NAME, value: '' });
  });

  it('saves what a guard wrote before it rejected the request', async () => {
    const res = await http().get('/paths/guard-rejects').expect(403);
    expect(codec.open(setCookies(res)[0].value)).toEqual({ rejectedAt: 'guard' });
  });

  it('saves what a handler wrote before it threw an HttpException', async () => {
    const res = await http().get('/paths/throws').expect(403);
    expect(codec.open(setCookies(res)[0].value)).toEqual({ thrown: true });
  });

  it('saves with @Res() and a manual send', async () => {
    const res = await http().get('/paths/manual').expect(200);
    expect(res.body).toEqual({ manual: true });
    expect(codec.open(setCookies(res)[0].value)).toEqual({ manual: true });
  });

  it('saves before a StreamableFile body', async () => {
    const res = await http().get('/paths/streamable').expect(200);
    expect(res.text ?? res.body.toString()).toContain('chunk-2');
    expect(codec.open(setCookies(res)[0].value)).toEqual({ streamed: 'streamable' });
  });

  it('saves before a raw streamed body, and only what was there when the headers left', async () => {
    const res = await http().get('/paths/raw-stream').expect(200);
    expect(res.text).toBe('first last');
    expect(codec.open(setCookies(res)[0].value)).toEqual({ streamed: 'raw' });
  });

  it('finds the session through SessionService in a guard of a request with a JSON body', async () => {
    const res = await http().post('/paths/guarded-body').send({ n: 7 }).expect(201);
    expect(codec.open(setCookies(res)[0].value)).toEqual({ guardSawBody: true, n: 7 });
  });

  it('replaces an earlier Set-Cookie of the same name (overwrite) and keeps the others', async () => {
    const res = await http().get('/paths/foreign-cookie').expect(200);
    const cookies = setCookies(res);
    expect(cookies.map((c) => c.name).sort()).toEqual([NAME, 'theme']);
    expect(codec.open(cookies.find((c) => c.name === NAME)!.value)).toEqual({ mine: true });
  });

  it('keeps an earlier Set-Cookie of the same name with overwrite: false', async () => {
    const keep = await createApp(platform, {
      controllers: [PathsController],
      providers: [RejectingGuard, BodyGuard],
      session: { overwrite: false },
    });
    try {
      const res = await request(keep.getHttpServer()).get('/paths/foreign-cookie').expect(200);
      expect(
        setCookies(res)
          .map((c) => c.name)
          .sort(),
      ).toEqual([NAME, NAME, 'theme']);
    } finally {
      await keep.close();
    }
  });

  it('re-seals a cookie made under an old key with keys[0] when it writes it', async () => {
    const oldKey = 'the-old-key-that-is-at-least-32-chars-long';
    const newKey = 'the-new-key-that-is-at-least-32-chars-long';
    const oldApp = await createApp(platform, {
      controllers: [SessionController],
      session: { secret: undefined, keys: [oldKey] },
    });
    const rotated = await createApp(platform, {
      controllers: [SessionController],
      session: { secret: undefined, keys: [newKey, oldKey] },
    });
    try {
      const first = await request(oldApp.getHttpServer())
        .post('/set')
        .send({ user: 'alice' })
        .expect(201);
      const read = await request(rotated.getHttpServer())
        .get('/read')
        .set('Cookie', cookieHeader(first))
        .expect(200);
      expect(read.body.data).toEqual({ user: 'alice' });
      const resealed = setCookies(read)[0].value;
      expect(new SessionCodec({ secret: newKey }).open(resealed)).toEqual({ user: 'alice' });
      expect(new SessionCodec({ secret: oldKey }).open(resealed)).toBeUndefined();
    } finally {
      await oldApp.close();
      await rotated.close();
    }
  });

  it('never lets concurrent requests see each other’s session', async () => {
    const clients = Array.from({ length: 40 }, (_, i) => `client-${i}`);
    const seeded = await Promise.all(
      clients.map((id) => http().post('/set').send({ id }).expect(201)),
    );
    const results = await Promise.all(
      seeded.flatMap((res, i) =>
        Array.from({ length: 3 }, () =>
          http()
            .post('/set')
            .set('Cookie', cookieHeader(res))
            .send({ touched: clients[i] })
            .expect(201),
        ),
      ),
    );
    results.forEach((res, n) => {
      const id = clients[Math.floor(n / 3)];
      expect(res.body.data).toEqual({ id, touched: id });
      expect(codec.open(setCookies(res)[0].value)).toEqual({ id, touched: id });
    });
  });
});
