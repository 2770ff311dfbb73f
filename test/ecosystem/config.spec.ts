import { Controller, Get, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import request from 'supertest';
import {
  CookieSessionModule,
  CookieSessionOptionsError,
  Session,
  SessionCodec,
} from '../../lib/index.js';
import { PLATFORMS, createApp } from '../e2e/support/create-app.js';
import { cookieHeader, setCookies } from '../e2e/support/cookies.js';

const HOUR = 60 * 60 * 1000;

/** Checks the environment once at start-up, and turns SESSION_MAX_AGE into a number. */
export function validateSessionEnv(env: Record<string, unknown>) {
  const maxAge = Number(env.SESSION_MAX_AGE ?? 24 * HOUR);
  if (!Number.isSafeInteger(maxAge) || maxAge <= 0) {
    throw new Error('SESSION_MAX_AGE must be a number of milliseconds');
  }
  return { ...env, SESSION_MAX_AGE: maxAge };
}

@Controller()
class CounterController {
  @Get('count')
  count(@Session() session: Session<{ views?: number }>) {
    session.views = (session.views ?? 0) + 1;
    return { views: session.views };
  }
}

// The module as the README shows it (ConfigModule.forRoot reads the environment when called,
// so each test builds it after setting process.env).
function appModule() {
  @Module({
    imports: [
      ConfigModule.forRoot({ validate: validateSessionEnv }),
      CookieSessionModule.forRootAsync({
        imports: [ConfigModule],
        inject: [ConfigService],
        useFactory: (config: ConfigService) => ({
          secret: config.getOrThrow<string>('SESSION_SECRET'),
          maxAge: config.get<number>('SESSION_MAX_AGE'),
        }),
      }),
    ],
    controllers: [CounterController],
  })
  class AppModule {}
  return AppModule;
}

const ENV_SECRET = 'a-secret-from-the-environment-0123456789abcdef';
const ENV_KEYS = ['SESSION_SECRET', 'SESSION_MAX_AGE'] as const;

describe.each(PLATFORMS)('forRootAsync with @nestjs/config on %s', (platform) => {
  const saved = Object.fromEntries(ENV_KEYS.map((key) => [key, process.env[key]]));

  beforeEach(() => {
    for (const key of ENV_KEYS) delete process.env[key];
  });

  afterEach(() => {
    for (const key of ENV_KEYS) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
  });

  const boot = () => createApp(platform, { noSessionModule: true, imports: [appModule()] });

  it('seals with the secret and lifetime from the configuration', async () => {
    process.env.SESSION_SECRET = ENV_SECRET;
    process.env.SESSION_MAX_AGE = String(2 * HOUR);
    const app = await boot();
    try {
      const server = app.getHttpServer();
      const first = await request(server).get('/count');
      expect(first.body).toEqual({ views: 1 });
      const [cookie] = setCookies(first);
      expect(cookie.attributes['max-age']).toBe(String((2 * HOUR) / 1000));

      // Sealed under the configured secret: it opens with that secret, not with another one.
      expect(new SessionCodec({ secret: ENV_SECRET }).open(cookie.value)).toEqual({ views: 1 });
      const other = new SessionCodec({ secret: 'another-secret-that-is-long-enough-0123456789' });
      expect(other.open(cookie.value)).toBeUndefined();

      const second = await request(server).get('/count').set('Cookie', cookieHeader(first));
      expect(second.body).toEqual({ views: 2 });
    } finally {
      await app.close();
    }
  });

  it('uses the default from validate() when SESSION_MAX_AGE is not set', async () => {
    process.env.SESSION_SECRET = ENV_SECRET;
    const app = await boot();
    try {
      const [cookie] = setCookies(await request(app.getHttpServer()).get('/count'));
      expect(cookie.attributes['max-age']).toBe(String((24 * HOUR) / 1000));
    } finally {
      await app.close();
    }
  });

  it('fails the boot with the configuration error when SESSION_SECRET is missing', async () => {
    await expect(boot()).rejects.toThrow('Configuration key "SESSION_SECRET" does not exist');
  });

  it('fails the boot when the configured secret is too short', async () => {
    process.env.SESSION_SECRET = 'too-short';
    const error = await boot().then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(CookieSessionOptionsError);
    expect(error).toMatchObject({ option: 'secret' });
  });
});
