import { Controller, Get, Req, type INestApplication } from '@nestjs/common';
import {
  FastifyAdapter as FastifyAdapterClass,
  type FastifyAdapter,
  type NestFastifyApplication,
} from '@nestjs/platform-fastify';
import request from 'supertest';
import { Session } from '../../lib/index.js';
import { cookieHeader } from './support/cookies.js';
import { createApp } from './support/create-app.js';

type Hook = (req: { raw: any }, reply: unknown, done: (err?: unknown) => void) => unknown;

@Controller()
class HookController {
  @Get('login')
  login(@Session() session: Session) {
    session.user = 'alice';
    return {};
  }

  @Get('who')
  who(@Session() session: Session, @Req() req: { raw: { hookSaw?: string } }) {
    return { user: session.user ?? null, hookSaw: req.raw.hookSaw ?? null };
  }
}

/**
 * Another request hook set through Nest's single slot before the module runs inside the
 * module's: whichever way it completes (its promise, its done callback, or a throw), the request
 * goes on when it has, also when a validation was due first.
 */
describe('an earlier Fastify request hook, with a validation due', () => {
  let apps: INestApplication[] = [];
  let validations: number;
  const start = async (hook: Hook) => {
    validations = 0;
    const app = await createApp('fastify', {
      controllers: [HookController],
      session: {
        validate: () => {
          validations++;
          return true;
        },
      },
      configure: (a) =>
        (
          (a as NestFastifyApplication).getHttpAdapter() as unknown as FastifyAdapter
        ).setOnRequestHook(hook as never),
    });
    apps.push(app);
    return () => request(app.getHttpServer());
  };
  afterEach(async () => {
    await Promise.all(apps.map((app) => app.close()));
    apps = [];
  });

  // NestJS 12's adapter completes the hook in its slot by the hook's done callback or by the
  // promise it returns; NestJS 11's by done only.
  const promisesComplete =
    typeof (FastifyAdapterClass.prototype as unknown as { runLifecycleHook?: unknown })
      .runLifecycleHook === 'function';

  it('goes on once the earlier hook has finished, whichever way the adapter lets it finish', async () => {
    const hooks: [string, Hook][] = [
      [
        'callback',
        (req, _reply, done) => {
          setTimeout(() => {
            req.raw.hookSaw = 'callback';
            done();
          }, 5);
        },
      ],
    ];
    if (promisesComplete) {
      hooks.push([
        'promise',
        async (req) => {
          await new Promise((resolve) => setTimeout(resolve, 5));
          req.raw.hookSaw = 'promise';
        },
      ]);
    }
    for (const [style, hook] of hooks) {
      const http = await start(hook);
      const login = await http().get('/login').timeout(5_000).expect(200);
      const res = await http().get('/who').set('Cookie', cookieHeader(login)).timeout(5_000);
      expect([res.status, res.body]).toEqual([200, { user: 'alice', hookSaw: style }]);
      expect(validations).toBe(1);
    }
  });

  it('answers with an error when the earlier hook fails, with or without a session', async () => {
    // A cookie sealed by the module (every app here shares the secret): a validation is due.
    const login = await (await start((_req, _reply, done) => done()))().get('/login').expect(200);
    const hooks: Hook[] = [
      (_req, _reply, done) => done(new Error('hook failed')),
      () => {
        throw new Error('hook failed');
      },
    ];
    if (promisesComplete) {
      hooks.push(async () => {
        throw new Error('hook failed');
      });
    }
    for (const hook of hooks) {
      const http = await start(hook);
      expect((await http().get('/who').timeout(5_000)).status).toBe(500);
      const res = await http().get('/who').set('Cookie', cookieHeader(login)).timeout(5_000);
      expect(res.status).toBe(500);
      expect(validations).toBe(1);
    }
  });
});
