import { AsyncResource } from 'node:async_hooks';
import {
  Body,
  Get,
  Catch,
  Controller,
  HttpException,
  Post,
  type ArgumentsHost,
  type ExceptionFilter,
  type INestApplication,
} from '@nestjs/common';
import { APP_FILTER, HttpAdapterHost } from '@nestjs/core';
import request from 'supertest';
import { Session, SessionService } from '../../lib/index.js';
import { cookieHeader } from './support/cookies.js';
import { PLATFORMS, createApp } from './support/create-app.js';

const detached = new AsyncResource('stream-made-before-the-request');

/** An application's global filter that says who was logged in when a request failed. */
@Catch(HttpException)
class WhoFailedFilter implements ExceptionFilter {
  constructor(
    private readonly sessions: SessionService,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  catch(exception: HttpException, host: ArgumentsHost) {
    const user = this.sessions.get().user ?? null;
    const { httpAdapter } = this.adapterHost;
    const response = host.switchToHttp().getResponse();
    httpAdapter.reply(response, { status: exception.getStatus(), user }, exception.getStatus());
  }
}

@Controller()
class JsonController {
  @Post('login')
  login(@Session() session: Session) {
    session.user = 'alice';
    return {};
  }

  constructor(private readonly sessions: SessionService) {}

  @Get('who')
  who() {
    return { user: this.sessions.get().user ?? null };
  }

  @Post('json')
  json(@Body() body: unknown) {
    return { body };
  }
}

/**
 * A request the framework's body parser refuses (malformed JSON) never
 * reaches a handler, but it goes through the application's exception filters, which may read
 * the session like any other code of the request.
 */
describe.each(PLATFORMS)(
  'exception filters after a body parser refused the body, on %s',
  (platform) => {
    let app: INestApplication;
    beforeAll(async () => {
      app = await createApp(platform, {
        controllers: [JsonController],
        providers: [{ provide: APP_FILTER, useClass: WhoFailedFilter }],
        // Middleware that goes on from a callback bound outside the request (a stream made
        // before it): the request's async context is lost from there on.
        configure: (a) =>
          a.use((req: { url?: string }, _res: unknown, next: () => void) =>
            req.url === '/who' ? detached.runInAsyncScope(next) : next(),
          ),
      });
    });
    afterAll(() => app.close());

    it('read the session in a filter for malformed JSON (a 400 from the body parser)', async () => {
      const login = await request(app.getHttpServer()).post('/login').expect(201);
      const malformed = await request(app.getHttpServer())
        .post('/json')
        .set('Cookie', cookieHeader(login))
        .set('Content-Type', 'application/json')
        .send('{"a":');
      expect([malformed.status, malformed.body]).toEqual([400, { status: 400, user: 'alice' }]);
    });

    it('opens the request scope again after middleware that lost it', async () => {
      const login = await request(app.getHttpServer()).post('/login').expect(201);
      const res = await request(app.getHttpServer()).get('/who').set('Cookie', cookieHeader(login));
      expect([res.status, res.body]).toEqual([200, { user: 'alice' }]);
    });
  },
);
