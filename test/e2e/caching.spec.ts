import { Controller, Get, Header, Post, type INestApplication } from '@nestjs/common';
import request from 'supertest';
import { Session } from '../../lib/index.js';
import { cookieHeader, setCookies } from '../support/cookies.js';
import { PLATFORMS, createApp } from './support/create-app.js';
import { SessionController } from './support/session.controller.js';

@Controller('cached')
class CachedController {
  @Post('no-store')
  @Header('Cache-Control', 'no-store')
  noStore(@Session() session: Session) {
    session.user = 'alice';
    return { ok: true };
  }

  @Post('public')
  @Header('Cache-Control', 'public, max-age=60')
  shared(@Session() session: Session) {
    session.user = 'alice';
    return { ok: true };
  }

  @Get('public')
  @Header('Cache-Control', 'public, max-age=60')
  sharedRead() {
    return { ok: true };
  }
}

describe.each(PLATFORMS)('caching of responses that write the session, on %s', (platform) => {
  let app: INestApplication;
  beforeAll(async () => {
    app = await createApp(platform, { controllers: [SessionController, CachedController] });
  });
  afterAll(() => app.close());
  const http = () => request(app.getHttpServer());

  it('marks a response that seals a session Cache-Control: private', async () => {
    const res = await http().post('/set').send({ a: 1 }).expect(201);
    expect(setCookies(res)).toHaveLength(1);
    expect(res.headers['cache-control']).toBe('private');
  });

  it('marks a response that clears the cookie Cache-Control: private', async () => {
    const login = await http().post('/set').send({ a: 1 }).expect(201);
    const res = await http().post('/destroy').set('Cookie', cookieHeader(login)).expect(201);
    expect(setCookies(res)[0].value).toBe('');
    expect(res.headers['cache-control']).toBe('private');
  });

  it('keeps the application’s no-store', async () => {
    const res = await http().post('/cached/no-store').expect(201);
    expect(setCookies(res)).toHaveLength(1);
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('drops public, keeping the other directives', async () => {
    const res = await http().post('/cached/public').expect(201);
    expect(setCookies(res)).toHaveLength(1);
    expect(res.headers['cache-control']).toBe('private, max-age=60');
  });

  it('leaves Cache-Control alone when no cookie is written', async () => {
    const login = await http().post('/set').send({ a: 1 }).expect(201);
    const read = await http().get('/read').set('Cookie', cookieHeader(login)).expect(200);
    expect(setCookies(read)).toEqual([]);
    expect(read.headers['cache-control']).toBeUndefined();
    const shared = await http().get('/cached/public').expect(200);
    expect(setCookies(shared)).toEqual([]);
    expect(shared.headers['cache-control']).toBe('public, max-age=60');
  });
});
