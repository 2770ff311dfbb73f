import {
  Controller,
  Get,
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type INestApplication,
  type NestInterceptor,
} from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { tap } from 'rxjs';
import request from 'supertest';
import { Session, SessionCodec, SessionService } from '../../lib/index.js';
import { setCookies } from '../support/cookies.js';
import { PLATFORMS, SECRET, createApp } from './support/create-app.js';

const codec = new SessionCodec({ secret: SECRET });
const DAY_S = 86_400;

/**
 * An application's own global interceptor, registered in its module: Nest runs it outside the
 * session's interceptor, so its work after the handler comes after the session was prepared.
 */
@Injectable()
class VisitsInterceptor implements NestInterceptor {
  constructor(private readonly sessions: SessionService) {}
  intercept(_context: ExecutionContext, next: CallHandler) {
    return next.handle().pipe(
      tap(() => {
        const stats = this.sessions.get().stats as { hits: number } | undefined;
        if (stats) stats.hits += 1;
        if (this.sessions.get().remember) this.sessions.options.maxAge = 30 * DAY_S * 1000;
        if (this.sessions.get().lax) this.sessions.options.sameSite = 'strict';
      }),
    );
  }
}

@Controller()
class StatsController {
  @Get('nested')
  nested(@Session() session: Session) {
    session.stats = { hits: 0 };
    return { ok: true };
  }

  @Get('remember')
  remember(@Session() session: Session) {
    session.remember = true;
    return { ok: true };
  }

  @Get('attribute')
  attribute(@Session() session: Session) {
    session.lax = true;
    return { ok: true };
  }
}

describe.each(PLATFORMS)('changes made after the handler returned, on %s', (platform) => {
  let app: INestApplication;
  beforeAll(async () => {
    app = await createApp(platform, {
      controllers: [StatsController],
      providers: [{ provide: APP_INTERCEPTOR, useClass: VisitsInterceptor }],
    });
  });
  afterAll(() => app.close());
  const http = () => request(app.getHttpServer());

  it('saves a nested change made by an outer interceptor', async () => {
    const [cookie] = setCookies(await http().get('/nested').expect(200));
    expect(codec.open(cookie.value)).toEqual({ stats: { hits: 1 } });
  });

  it('applies a lifetime chosen by an outer interceptor to the cookie and the seal', async () => {
    const [cookie] = setCookies(await http().get('/remember').expect(200));
    expect(cookie.attributes['max-age']).toBe(String(30 * DAY_S));
  });

  it('applies a cookie attribute changed by an outer interceptor', async () => {
    const [cookie] = setCookies(await http().get('/attribute').expect(200));
    expect(cookie.attributes.samesite).toBe('Strict');
  });
});
