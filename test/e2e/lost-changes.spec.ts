import {
  Catch,
  Controller,
  Get,
  HttpException,
  Post,
  Req,
  ServiceUnavailableException,
  type ArgumentsHost,
  type ExceptionFilter,
  type INestApplication,
} from '@nestjs/common';
import { APP_FILTER, HttpAdapterHost } from '@nestjs/core';
import request from 'supertest';
import { Session, SessionService, SessionTooLargeError } from '../../lib/index.js';
import { cookieHeader, setCookies } from '../support/cookies.js';
import { PLATFORMS, createApp } from './support/create-app.js';
import { moduleWarnings, recordingLogger } from './support/recording-logger.js';

const NAME = '__Host-session';
const later = (work: () => void) => setTimeout(work, 5);

@Controller()
class ChangesController {
  @Post('login')
  login(@Session() session: Session) {
    session.user = 'alice';
    return {};
  }

  @Post('regenerate-then-write')
  regenerateThenWrite(@Session() session: Session) {
    session.regenerate();
    session.user = 'bob'; // the object regenerate() replaced
    return {};
  }

  // Through the request, which stays this request's once it was answered (SessionService
  // refuses an answered request).
  @Post('late-destroy')
  lateDestroy(@Req() req: { session: Session | null }) {
    later(() => (req.session = null));
    return {};
  }

  @Post('late-first-touch')
  lateFirstTouch(@Req() req: { session: Session }) {
    later(() => (req.session.late = 1));
    return {};
  }

  @Post('too-large')
  tooLarge(@Session() session: Session) {
    session.blob = 'x'.repeat(6000);
    return {};
  }

  @Get('who')
  who(@Session() session: Session) {
    return { user: session.user ?? null };
  }
}

/** An application's filter: a session too large ends the session; every error says who. */
@Catch(HttpException, SessionTooLargeError)
class AppFilter implements ExceptionFilter {
  constructor(
    private readonly sessions: SessionService,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  catch(exception: unknown, host: ArgumentsHost) {
    if (exception instanceof SessionTooLargeError) this.sessions.destroy();
    const status = exception instanceof HttpException ? exception.getStatus() : 500;
    const user = this.sessions.get().user ?? null;
    const response = host.switchToHttp().getResponse();
    this.adapterHost.httpAdapter.reply(response, { status, user }, status);
  }
}

describe.each(PLATFORMS)('changes the session cannot take, on %s', (platform) => {
  let app: INestApplication;
  let failing: boolean;
  const logger = recordingLogger();
  const warnings = () => moduleWarnings(logger);
  beforeAll(async () => {
    app = await createApp(platform, {
      controllers: [ChangesController],
      providers: [{ provide: APP_FILTER, useClass: AppFilter }],
      session: {
        validate: () => {
          if (failing) throw new ServiceUnavailableException('user store down');
          return true;
        },
      },
      configure: (a) => a.useLogger(logger),
    });
  });
  afterAll(() => app.close());
  beforeEach(() => {
    failing = false;
    logger.warn.mockClear();
  });
  const http = () => request(app.getHttpServer());
  const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

  it('logs a write through a session object that regenerate() replaced', async () => {
    const res = await http().post('/regenerate-then-write').expect(201);
    // What the request did to its session: it ended it (a logout clears the cookie).
    expect(setCookies(res)).toEqual([expect.objectContaining({ name: NAME, value: '' })]);
    expect(warnings()).toEqual([expect.stringContaining('"user"')]);
    expect(warnings()[0]).toMatch(/had replaced: the change is lost/);
    expect(warnings()[0]).toContain('"POST /regenerate-then-write"');
  });

  it('logs a destroy() and a first use of the session that come after the headers', async () => {
    const login = await http().post('/login').expect(201);
    const res = await http().post('/late-destroy').set('Cookie', cookieHeader(login)).expect(201);
    await settle();
    expect(setCookies(res)).toEqual([]);
    const touched = await http().post('/late-first-touch').expect(201);
    await settle();
    expect(setCookies(touched)).toEqual([]);
    const said = warnings();
    expect(said).toHaveLength(2);
    expect(said[0]).toMatch(
      /^The session was ended .* on "POST \/late-destroy" after the response's headers/,
    );
    expect(said[1]).toMatch(
      /^The session key "late" was changed on "POST \/late-first-touch" after/,
    );
  });

  it('writes what an exception filter does after a session too large: the cookie is cleared', async () => {
    const login = await http().post('/login').expect(201);
    const res = await http().post('/too-large').set('Cookie', cookieHeader(login)).expect(500);
    expect(res.body).toEqual({ status: 500, user: null });
    expect(setCookies(res)).toEqual([expect.objectContaining({ name: NAME, value: '' })]);
  });

  it('lets an exception filter read the session after validate threw: empty, and the cookie stays', async () => {
    const login = await http().post('/login').expect(201);
    failing = true;
    const res = await http().get('/who').set('Cookie', cookieHeader(login)).expect(503);
    expect(res.body).toEqual({ status: 503, user: null });
    expect(setCookies(res)).toEqual([]);
    failing = false;
    expect((await http().get('/who').set('Cookie', cookieHeader(login))).body).toEqual({
      user: 'alice',
    });
  });
});
