import { Controller, Get, Logger, Res, type INestApplication } from '@nestjs/common';
import request from 'supertest';
import { Session, SessionCodec, SessionTooLargeError } from '../../lib/index.js';
import { cookieHeader, setCookies } from '../support/cookies.js';
import { PLATFORMS, SECRET, createApp, type AppSetup } from './support/create-app.js';
import { FillController } from './support/fill.controller.js';
import { SessionController } from './support/session.controller.js';

/** The default name: `Secure`, `Path=/` and no `Domain` allow the `__Host-` prefix. */
const NAME = '__Host-session';

@Controller()
class ManualFillController {
  @Get('fill-manually')
  fillManually(@Session() session: Session, @Res() res: any) {
    session.blob = 'x'.repeat(6000);
    res.status(200).send({ manual: true });
  }
}

describe.each(PLATFORMS)('size, on %s', (platform) => {
  const apps: INestApplication[] = [];
  const open = async (setup: AppSetup) => {
    const app = await createApp(platform, {
      controllers: [SessionController, FillController, ManualFillController],
      ...setup,
    });
    apps.push(app);
    return () => request(app.getHttpServer());
  };
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });

  it('keeps every cookie within 4096 bytes of name=value', async () => {
    const http = await open({});
    const res = await http().post('/fill').send({ bytes: 2900 }).expect(201);
    const [cookie] = setCookies(res);
    expect(cookie.name.length + 1 + cookie.value.length).toBeLessThanOrEqual(4096);
  });

  it('answers 500 through the exception layer for a session too large, and leaves the client’s cookie alone', async () => {
    const errors: unknown[] = [];
    const http = await open({
      configure: (app) =>
        app.useGlobalFilters({
          catch: (error: unknown, host: any) => {
            errors.push(error);
            const res = host.switchToHttp().getResponse();
            res.status(500).send({ error: (error as Error).name });
          },
        }),
    });
    const small = await http().post('/set').send({ user: 'alice' }).expect(201);
    const big = await http()
      .post('/fill')
      .set('Cookie', cookieHeader(small))
      .send({ bytes: 5000 })
      .expect(500);
    expect(big.body).toEqual({ error: 'SessionTooLargeError' });
    expect(setCookies(big)).toEqual([]);
    const error = errors[0] as SessionTooLargeError;
    expect(error).toBeInstanceOf(SessionTooLargeError);
    expect(error.cookieName).toBe(NAME);
    expect(error.limit).toBe(4096);
    expect(error.size).toBeGreaterThan(5000);
    expect(error.message).toContain(`"${NAME}"`);
    // The old cookie still works.
    const read = await http().get('/read').set('Cookie', cookieHeader(small)).expect(200);
    expect(read.body.data).toEqual({ user: 'alice' });
  });

  it('gives the default 500 without a custom filter', async () => {
    const http = await open({});
    const res = await http().post('/fill').send({ bytes: 5000 }).expect(500);
    expect(setCookies(res)).toEqual([]);
  });

  it('logs the error when the headers are already on their way (@Res()), and sets no cookie', async () => {
    const logged: string[] = [];
    const original = Logger.prototype.error;
    Logger.prototype.error = function (message: unknown) {
      logged.push(String(message));
    };
    try {
      const http = await open({});
      const res = await http().get('/fill-manually').expect(200);
      expect(res.body).toEqual({ manual: true });
      expect(setCookies(res)).toEqual([]);
      expect(logged.some((line) => line.includes(`Session cookie "${NAME}" would need`))).toBe(
        true,
      );
    } finally {
      Logger.prototype.error = original;
    }
  });

  it('splits a large session over chunk cookies with maxChunks, and reads them back', async () => {
    const http = await open({ session: { maxChunks: 3 } });
    const res = await http().post('/fill').send({ bytes: 5000 }).expect(201);
    const cookies = setCookies(res);
    expect(cookies.map((c) => c.name)).toEqual([NAME, `${NAME}.1`]);
    for (const c of cookies) expect(c.name.length + 1 + c.value.length).toBeLessThanOrEqual(4096);
    const read = await http().get('/read').set('Cookie', cookieHeader(res)).expect(200);
    expect((read.body.data.blob as string).length).toBe(5000);
  });

  it('raises SessionTooLargeError when even maxChunks cookies are not enough', async () => {
    const http = await open({ session: { maxChunks: 2 } });
    const res = await http().post('/fill').send({ bytes: 9000 }).expect(500);
    expect(setCookies(res)).toEqual([]);
  });

  it('clears the chunks no longer needed when the session shrinks, and every chunk on destroy', async () => {
    const http = await open({ session: { maxChunks: 3 } });
    const big = await http().post('/fill').send({ bytes: 8000 }).expect(201);
    expect(setCookies(big).map((c) => c.name)).toEqual([NAME, `${NAME}.1`, `${NAME}.2`]);
    let jar = cookieHeader(big);

    const shrunk = await http().post('/fill').set('Cookie', jar).send({ bytes: 10 }).expect(201);
    const lines = setCookies(shrunk);
    expect(lines.map((c) => [c.name, c.value === '' ? 'cleared' : 'set'])).toEqual([
      [NAME, 'set'],
      [`${NAME}.1`, 'cleared'],
      [`${NAME}.2`, 'cleared'],
    ]);
    jar = cookieHeader(shrunk, jar);
    expect(jar.split('; ').map((p) => p.split('=')[0])).toEqual([NAME]);

    const bigAgain = await http()
      .post('/fill')
      .set('Cookie', jar)
      .send({ bytes: 5000 })
      .expect(201);
    const destroyed = await http()
      .post('/destroy')
      .set('Cookie', cookieHeader(bigAgain, jar))
      .expect(201);
    expect(setCookies(destroyed).map((c) => [c.name, c.value, c.attributes['max-age']])).toEqual([
      [NAME, '', '0'],
      [`${NAME}.1`, '', '0'],
    ]);
  });

  it('ignores a stray chunk that does not follow on from the ones before it', async () => {
    const http = await open({ session: { maxChunks: 3 } });
    const codec = new SessionCodec({ secret: SECRET, maxChunks: 3 });
    const value = codec.seal({ user: 'alice' });
    const read = await http()
      .get('/read')
      .set('Cookie', `${NAME}=${value}; ${NAME}.2=stale`)
      .expect(200);
    expect(read.body.data).toEqual({ user: 'alice' });
  });

  it('still opens the session when a stale chunk follows it (its clearing response was lost)', async () => {
    const http = await open({ session: { maxChunks: 3 } });
    const codec = new SessionCodec({ secret: SECRET, maxChunks: 3 });
    const value = codec.seal({ user: 'alice' });
    const jar = `${NAME}=${value}; ${NAME}.1=stale-chunk`;
    const read = await http().get('/read').set('Cookie', jar).expect(200);
    expect(read.body.data).toEqual({ user: 'alice' });
    // The next write clears the stale chunk.
    const written = await http().post('/set').set('Cookie', jar).send({ n: 1 }).expect(201);
    const cleared = setCookies(written);
    expect(cleared.map((c) => [c.name, c.value === '' ? 'cleared' : 'set'])).toEqual([
      [NAME, 'set'],
      [`${NAME}.1`, 'cleared'],
    ]);
  });
});
