import {
  Controller,
  Get,
  Injectable,
  Req,
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
import { sealTimes } from '../support/seal.js';
import { PLATFORMS, SECRET, createApp } from './support/create-app.js';

const codec = new SessionCodec({ secret: SECRET });
const DAY_S = 86_400;
const HOUR_MS = 3_600_000;

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
        const expires = this.sessions.options.expires;
        if (this.sessions.get().later && expires) expires.setTime(expires.getTime() + HOUR_MS);
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

  @Get('later')
  later(@Session() session: Session, @Req() req: any) {
    // Read here, so that this request's options exist before the outer interceptor moves them.
    expect((req.raw ?? req).sessionOptions.expires).toBeInstanceOf(Date);
    session.later = true;
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

describe.each(PLATFORMS)('a fixed expiry moved after the handler returned, on %s', (platform) => {
  let app: INestApplication;
  const at = Date.now() + 2 * 3_600_000;
  beforeAll(async () => {
    app = await createApp(platform, {
      controllers: [StatsController],
      providers: [{ provide: APP_INTERCEPTOR, useClass: VisitsInterceptor }],
      session: { expires: new Date(at) },
    });
  });
  afterAll(() => app.close());

  it('applies an expiry date changed in place (setTime) by an outer interceptor', async () => {
    const [cookie] = setCookies(await request(app.getHttpServer()).get('/later').expect(200));
    expect(sealTimes(cookie.value).expiresAt).toBe(at + HOUR_MS);
    expect(new Date(cookie.attributes.expires as string).getTime()).toBe(
      Math.ceil((at + HOUR_MS) / 1000) * 1000,
    );
  });
});
