import {
  ArgumentsHost,
  CallHandler,
  CanActivate,
  Catch,
  Controller,
  ExceptionFilter,
  ExecutionContext,
  Get,
  Injectable,
  MiddlewareConsumer,
  Module,
  NestInterceptor,
  NestModule,
  PipeTransform,
  Req,
  UseFilters,
  UseGuards,
  UseInterceptors,
  UsePipes,
  Query,
  type INestApplication,
} from '@nestjs/common';
import request from 'supertest';
import { CookieSession, Session, SessionCodec, SessionService } from '../../lib/index.js';
import { cookieHeader, setCookies } from '../support/cookies.js';
import { PLATFORMS, SECRET, createApp } from './support/create-app.js';
import { SessionController } from './support/session.controller.js';

/** Every place that saw the session records the objects it got, on the raw request. */
function record(req: any, where: string, ...objects: unknown[]): void {
  const raw = req.raw ?? req;
  (raw.seen ??= []).push(...objects.map((object) => ({ where, object })));
}

@Injectable()
class RecordingGuard implements CanActivate {
  constructor(private readonly sessions: SessionService) {}
  canActivate(context: ExecutionContext) {
    const req = context.switchToHttp().getRequest();
    record(req, 'guard', this.sessions.get(), req.session);
    return true;
  }
}

@Injectable()
class RecordingInterceptor implements NestInterceptor {
  constructor(private readonly sessions: SessionService) {}
  intercept(context: ExecutionContext, next: CallHandler) {
    const req = context.switchToHttp().getRequest();
    record(req, 'interceptor', this.sessions.get(), req.session);
    return next.handle();
  }
}

@Injectable()
class RecordingPipe implements PipeTransform {
  constructor(private readonly sessions: SessionService) {}
  transform(value: unknown) {
    this.sessions.get().fromPipe = true;
    return value;
  }
}

@Catch()
class RecordingFilter implements ExceptionFilter {
  constructor(private readonly sessions: SessionService) {}
  catch(_error: unknown, host: ArgumentsHost) {
    const http = host.switchToHttp();
    const req = http.getRequest();
    const res = http.getResponse();
    const same = this.sessions.get() === req.session;
    this.sessions.get().fromFilter = true;
    const body = JSON.stringify({ same, fromGuard: req.session.fromGuard === true });
    if (typeof res.status === 'function' && typeof res.send === 'function' && !res.raw) {
      res.status(418).type('application/json').send(body);
    } else {
      res.code(418).type('application/json').send(body);
    }
  }
}

@Injectable()
class GuardWriter implements CanActivate {
  constructor(private readonly sessions: SessionService) {}
  canActivate() {
    this.sessions.get().fromGuard = true;
    return true;
  }
}

@Controller('enhanced')
@UseGuards(RecordingGuard)
@UseInterceptors(RecordingInterceptor)
class EnhancedController {
  constructor(private readonly sessions: SessionService) {}

  @Get()
  @UsePipes(RecordingPipe)
  read(@Session() session: Session, @Req() req: any, @Query('x') _x?: string) {
    record(req, 'controller', session, this.sessions.get(), req.session);
    const seen: { where: string; object: unknown }[] = (req.raw ?? req).seen;
    return {
      places: [...new Set(seen.map((s) => s.where))],
      allSame: seen.every((s) => s.object === session),
      fromPipe: session.fromPipe,
      fromMiddleware: session.fromMiddleware,
      fromNestMiddleware: session.fromNestMiddleware,
    };
  }

  @Get('key')
  key(
    @Session('user') user: unknown,
    @CookieSession() session: CookieSession,
    @Session() same: Session,
  ) {
    return { user, aliasIsSame: session === same };
  }

  @Get('throws')
  @UseGuards(GuardWriter)
  @UseFilters(RecordingFilter)
  throws(): never {
    throw new Error('boom');
  }
}

@Module({
  controllers: [EnhancedController],
  providers: [RecordingGuard, RecordingInterceptor, RecordingPipe, GuardWriter],
})
class EnhancedModule implements NestModule {
  configure(consumer: MiddlewareConsumer) {
    consumer
      .apply((req: any, _res: unknown, next: () => void) => {
        req.session.fromNestMiddleware = true;
        next();
      })
      .forRoutes('enhanced');
  }
}

/** The default name: `Secure`, `Path=/` and no `Domain` allow the `__Host-` prefix. */
const NAME = '__Host-session';
const codec = new SessionCodec({ secret: SECRET });
const valid = codec.seal({ user: 'alice' });

describe.each(PLATFORMS)('loading, on %s', (platform) => {
  let app: INestApplication;
  beforeAll(async () => {
    app = await createApp(platform, {
      imports: [EnhancedModule],
      controllers: [SessionController],
      configure: (a) =>
        // Mounted with app.use before the module even initialises: req.session still works.
        a.use((req: any, _res: unknown, next: () => void) => {
          if (String(req.url).startsWith('/enhanced')) req.session.fromMiddleware = true;
          next();
        }),
    });
  });
  afterAll(() => app.close());

  it('gives guards, interceptors, pipes, controllers and middleware one and the same session object', async () => {
    const res = await request(app.getHttpServer()).get('/enhanced?x=1').expect(200);
    expect(res.body).toEqual({
      places: ['guard', 'interceptor', 'controller'],
      allSame: true,
      fromPipe: true,
      fromMiddleware: true,
      fromNestMiddleware: true,
    });
  });

  it('gives exception filters the same session, and saves what they and the guard wrote', async () => {
    const res = await request(app.getHttpServer()).get('/enhanced/throws').expect(418);
    expect(res.body).toEqual({ same: true, fromGuard: true });
    const read = await request(app.getHttpServer())
      .get('/read')
      .set('Cookie', cookieHeader(res))
      .expect(200);
    expect(read.body.data).toMatchObject({
      fromGuard: true,
      fromFilter: true,
      fromMiddleware: true,
    });
  });

  const other = new SessionCodec({ secret: 'another-Zr6tY1uI8oP3aS5dF2gH9jK4lQ7wE0' });
  const foreignName = new SessionCodec({ secret: SECRET, name: 'other' });
  const badCookies: [string, string][] = [
    ['malformed', `${NAME}=%%%not-base64`],
    ['empty', `${NAME}=`],
    ['tampered', `${NAME}=${valid.slice(0, 40)}${valid[40] === 'A' ? 'B' : 'A'}${valid.slice(41)}`],
    ['truncated', `${NAME}=${valid.slice(0, -5)}`],
    [
      'expired',
      `${NAME}=${new SessionCodec({ secret: SECRET, maxAge: 1 }).seal({ user: 'alice' }, Date.now() - 10_000)}`,
    ],
    [
      'wrongly named (sealed for another cookie name)',
      `${NAME}=${foreignName.seal({ user: 'alice' })}`,
    ],
    ['sealed under an unknown key', `${NAME}=${other.seal({ user: 'alice' })}`],
    ['garbage bytes', `${NAME}=${'A'.repeat(3000)}`],
    ['quoted', `${NAME}="${valid}"`],
  ];
  it.each(badCookies)(
    'gives a new empty session for a %s cookie, never an error',
    async (_kind, cookie) => {
      const res = await request(app.getHttpServer()).get('/read').set('Cookie', cookie).expect(200);
      expect(res.body).toEqual({
        data: {},
        keys: [],
        isNew: true,
        populated: false,
        isChanged: false,
      });
      expect(setCookies(res)).toEqual([]);
    },
  );

  it('gives one value with @Session(key), and the same object through the CookieSession alias', async () => {
    const res = await request(app.getHttpServer())
      .get('/enhanced/key')
      .set('Cookie', `${NAME}=${valid}`)
      .expect(200);
    expect(res.body).toEqual({ user: 'alice', aliasIsSame: true });
  });

  it('opens a valid cookie', async () => {
    const res = await request(app.getHttpServer())
      .get('/read')
      .set('Cookie', `${NAME}=${valid}`)
      .expect(200);
    expect(res.body).toMatchObject({ data: { user: 'alice' }, isNew: false, populated: true });
  });
});
