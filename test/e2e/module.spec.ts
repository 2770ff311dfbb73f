import { Controller, Get, Injectable, Module, Post, type INestApplication } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test, type TestingModule } from '@nestjs/testing';
import request from 'supertest';
import {
  COOKIE_SESSION_OPTIONS,
  CookieSessionModule,
  CookieSessionOptionsError,
  SessionService,
  type CookieSessionOptions,
  type CookieSessionOptionsFactory,
} from '../../lib/index.js';
import { cookieHeader, setCookies } from '../support/cookies.js';
import { PLATFORMS, SECRET, createApp, type Platform } from './support/create-app.js';
import { SessionController } from './support/session.controller.js';

@Injectable()
class OptionsFactory implements CookieSessionOptionsFactory {
  createCookieSessionOptions(): CookieSessionOptions {
    return { secret: SECRET, name: 'from_class' };
  }
}

@Injectable()
class Config {
  readonly secret = SECRET;
  readonly name = 'from_config';
}
@Module({ providers: [Config, OptionsFactory], exports: [Config, OptionsFactory] })
class ConfigModule {}

/** A feature module that uses SessionService without importing anything: the module is global. */
@Controller('feature')
class FeatureController {
  constructor(private readonly sessions: SessionService) {}
  @Get()
  touch() {
    this.sessions.get().feature = true;
    return { ok: true };
  }
}
@Module({ controllers: [FeatureController] })
class FeatureModule {}
/** The same, importing the bare module class as NestJS users do with other modules. */
@Module({ imports: [CookieSessionModule], controllers: [FeatureController] })
class ImportingFeatureModule {}

/** The app of a compiled testing module on `platform`, not initialised yet. */
function appOf(platform: Platform, moduleRef: TestingModule): INestApplication {
  return moduleRef.createNestApplication(
    platform === 'express' ? new ExpressAdapter() : new FastifyAdapter(),
    { logger: false },
  );
}

/** Initialises the app of `moduleRef` and waits until Fastify is ready. */
async function start(platform: Platform, moduleRef: TestingModule): Promise<INestApplication> {
  const app = appOf(platform, moduleRef);
  await app.init();
  if (platform === 'fastify')
    await (app.getHttpAdapter().getInstance() as { ready(): Promise<unknown> }).ready();
  return app;
}

async function boot(platform: Platform, imports: unknown[]): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: imports as never[],
    controllers: [SessionController],
  }).compile();
  return start(platform, moduleRef);
}

describe.each(PLATFORMS)('CookieSessionModule, on %s', (platform) => {
  it.each([
    [
      'useFactory with inject',
      {
        imports: [ConfigModule],
        inject: [Config],
        useFactory: (c: Config) => ({ secret: c.secret, name: c.name }),
      },
      'from_config',
    ],
    [
      'an async useFactory',
      { useFactory: async () => ({ secret: SECRET, name: 'from_async' }) },
      'from_async',
    ],
    ['useClass', { useClass: OptionsFactory }, 'from_class'],
    ['useExisting', { imports: [ConfigModule], useExisting: OptionsFactory }, 'from_class'],
  ])('forRootAsync with %s', async (_kind, asyncOptions, name) => {
    const app = await boot(platform, [CookieSessionModule.forRootAsync(asyncOptions as never)]);
    try {
      const res = await request(app.getHttpServer()).post('/set').send({ a: 1 }).expect(201);
      expect(setCookies(res)[0].name).toBe(name);
    } finally {
      await app.close();
    }
  });

  it.each([
    ['without importing it (the module is global)', FeatureModule],
    ['importing the bare module, as it would other modules', ImportingFeatureModule],
  ])('lets a feature module inject SessionService %s', async (_, feature) => {
    const app = await boot(platform, [CookieSessionModule.forRoot({ secret: SECRET }), feature]);
    try {
      const res = await request(app.getHttpServer()).get('/feature').expect(200);
      // One module attached to the platform: one cookie.
      expect(setCookies(res).map((c) => c.name)).toEqual(['__Host-session']);
      const read = await request(app.getHttpServer())
        .get('/read')
        .set('Cookie', cookieHeader(res))
        .expect(200);
      expect(read.body.data).toEqual({ feature: true });
    } finally {
      await app.close();
    }
  });

  it('fails the boot when only the bare module is imported, without forRoot()', async () => {
    @Controller('orders')
    class OrdersController {
      @Post()
      create() {
        return { ok: true };
      }
    }
    @Module({ imports: [CookieSessionModule], controllers: [OrdersController] })
    class OrdersModule {}
    const moduleRef = await Test.createTestingModule({ imports: [OrdersModule] }).compile();
    const app = appOf(platform, moduleRef);
    // Without it the app would run with no sessions and no cross-origin check.
    await expect(app.init()).rejects.toThrow(
      /imported without forRoot\(\).*Import CookieSessionModule\.forRoot/,
    );
    await app.close();
  });

  it("takes options a testing module overrides, as a test of the app's own module does", async () => {
    @Module({ imports: [CookieSessionModule.forRoot({ secret: SECRET })] })
    class AppModule {}
    const moduleRef = await Test.createTestingModule({
      imports: [AppModule],
      controllers: [SessionController],
    })
      .overrideProvider(COOKIE_SESSION_OPTIONS)
      .useValue({ secret: SECRET, secure: 'auto' })
      .compile();
    const app = await start(platform, moduleRef);
    try {
      const res = await request(app.getHttpServer()).post('/set').send({ a: 1 }).expect(201);
      // secure: 'auto' over plain HTTP: no Secure, so no __Host- name either.
      const [cookie] = setCookies(res);
      expect(cookie.name).toBe('session');
      expect(Object.keys(cookie.attributes)).not.toContain('secure');
    } finally {
      await app.close();
    }
  });

  it.each([
    [{ secret: 'short' }, 'secret', /randomBytes/],
    [{ secret: undefined }, 'secret', /randomBytes/],
    [{ secret: SECRET, keys: [SECRET] }, 'secret', /both/],
    [{ secret: SECRET, name: 'bad;name' }, 'name', /not accepted in a cookie/],
    [{ secret: SECRET, maxAge: -1 }, 'maxAge', /milliseconds/],
    [{ secret: SECRET, maxAge: 1000, timeout: 1000 }, 'timeout', /alias/],
    [{ secret: SECRET, sameSite: 'none', secure: false }, 'sameSite', /secure/],
    [{ secret: SECRET, sameSite: 'none', secure: 'auto' }, 'sameSite', /secure: true \(got auto\)/],
    [{ secret: SECRET, partitioned: true, secure: 'auto' }, 'partitioned', /secure: true/],
    [{ secret: SECRET, path: '/a; Domain=evil.com' }, 'path', /;/],
    [{ secret: SECRET, domain: 'evil.com\r\nSet-Cookie: x=y' }, 'domain', /not accepted/],
    [{ secret: SECRET, maxChunks: 0 }, 'maxChunks', /1 to 3/],
    [{ secret: SECRET, maxChunks: 4 }, 'maxChunks', /431/],
    [{ secret: 'a'.repeat(48) }, 'secret', /guess/i],
    [{ secret: SECRET, signed: true }, 'signed', /authenticated/],
    [{ secret: SECRET, isGlobal: false }, 'isGlobal', /always registers a global module/],
  ])('fails the boot for %j naming the option', async (options, option, hint) => {
    const error = await createApp(platform, {
      session: options as Partial<CookieSessionOptions>,
      controllers: [SessionController],
    }).then(
      (app) => app.close().then(() => undefined),
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CookieSessionOptionsError);
    expect((error as CookieSessionOptionsError).option).toBe(option);
    expect((error as Error).message).toContain(`"${option}"`);
    expect((error as Error).message).toMatch(hint);
  });

  it('accepts any cookie name the cookie package accepts, such as express:sess', async () => {
    const app = await createApp(platform, {
      session: { name: 'express:sess' },
      controllers: [SessionController],
    });
    try {
      const res = await request(app.getHttpServer()).post('/set').send({ a: 1 }).expect(201);
      expect(setCookies(res).map((c) => c.name)).toEqual(['express:sess']);
    } finally {
      await app.close();
    }
  });

  it('fails the boot when a feature module imports it a second time, saying to import it once', async () => {
    @Module({ imports: [CookieSessionModule.forRoot({ secret: SECRET, maxAge: 60_000 })] })
    class AuthModule {}
    await expect(
      boot(platform, [CookieSessionModule.forRoot({ secret: SECRET }), AuthModule]),
    ).rejects.toThrow(/imported more than once in this application.*import it once/);
  });

  it('fails the boot from forRootAsync too, before any request', async () => {
    await expect(
      boot(platform, [
        CookieSessionModule.forRootAsync({ useFactory: () => ({ secret: 'too-short' }) }),
      ]),
    ).rejects.toThrow(CookieSessionOptionsError);
  });
});

describe('SessionService outside HTTP', () => {
  it('throws a clear error when used outside a request, and reads Cookie headers for non-HTTP entry points', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [CookieSessionModule.forRoot({ secret: SECRET })],
    }).compile();
    const sessions = moduleRef.get(SessionService);
    expect(() => sessions.get()).toThrow(/outside an HTTP request/);
    const header = sessions.toCookieHeader({ user: 'alice' });
    expect(header).toMatch(/^__Host-session=[A-Za-z0-9_-]+$/);
    expect(sessions.fromCookieHeader(`theme=dark; ${header}`)).toEqual({ user: 'alice' });
    expect(sessions.fromCookieHeader('__Host-session=forged')).toBeUndefined();
    expect(sessions.fromCookieHeader(undefined)).toBeUndefined();
    await moduleRef.close();
  });
});

describe.each(PLATFORMS)('SessionService.toCookieHeader in e2e tests, on %s', (platform) => {
  it('logs a test client in without a login flow', async () => {
    const app = await createApp(platform, { controllers: [SessionController] });
    try {
      const header = app.get(SessionService).toCookieHeader({ userId: 7 });
      const res = await request(app.getHttpServer()).get('/read').set('Cookie', header).expect(200);
      expect(res.body).toMatchObject({ data: { userId: 7 }, isNew: false });
    } finally {
      await app.close();
    }
  });

  it('chunks the header like the response would', async () => {
    const app = await createApp(platform, {
      controllers: [SessionController],
      session: { maxChunks: 2 },
    });
    try {
      const header = app.get(SessionService).toCookieHeader({ blob: 'y'.repeat(4000) });
      expect(header.split('; ').map((p) => p.split('=')[0])).toEqual([
        '__Host-session',
        '__Host-session.1',
      ]);
      const res = await request(app.getHttpServer()).get('/read').set('Cookie', header).expect(200);
      expect(res.body.data.blob).toHaveLength(4000);
    } finally {
      await app.close();
    }
  });
});
