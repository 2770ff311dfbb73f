import { jest } from '@jest/globals';
import {
  Controller,
  Get,
  Post,
  Req,
  UnauthorizedException,
  type ExecutionContext,
  type INestApplication,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import request from 'supertest';
import { SessionGuard } from '../../lib/session.guard.js';
import { SessionRuntime } from '../../lib/session/session-runtime.js';
import { cookieHeader, setCookies } from '../support/cookies.js';
import { PLATFORMS, SECRET, createApp, type AppSetup } from './support/create-app.js';

/** Handler runs: a request the guard fails must not reach its handler. */
let handled = 0;
/** What `validate` does for the next requests. */
let verdict: () => unknown = () => true;

@Controller()
class AccountController {
  @Post('login')
  login(@Req() req: { session: Record<string, unknown> }) {
    req.session.user = 'ada';
    return { ok: true };
  }

  @Get('ping')
  ping() {
    handled++;
    return { ok: true };
  }

  @Post('transfer')
  transfer() {
    handled++;
    return { ok: true };
  }
}

describe.each(PLATFORMS)('session guard, on %s', (platform) => {
  const apps: INestApplication[] = [];
  const open = async (setup: AppSetup = {}) => {
    const app = await createApp(platform, {
      controllers: [AccountController],
      session: { validate: () => verdict() as boolean, ...setup.session },
    });
    apps.push(app);
    return () => request(app.getHttpServer());
  };
  beforeEach(() => {
    handled = 0;
    verdict = () => true;
  });
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });

  it('fails a route that never reads the session with a 500 when validate rejects with no reason', async () => {
    const http = await open();
    const login = await http().post('/login').expect(201);
    verdict = () => Promise.reject(undefined);
    const res = await http().get('/ping').set('Cookie', cookieHeader(login)).expect(500);
    expect(setCookies(res)).toEqual([]);
    expect(handled).toBe(0);
  });

  it('answers with the status of an HTTP exception validate throws, keeping the cookie', async () => {
    const http = await open();
    const login = await http().post('/login').expect(201);
    verdict = () => {
      throw new UnauthorizedException('account locked');
    };
    const res = await http().get('/ping').set('Cookie', cookieHeader(login)).expect(401);
    expect(res.body.message).toBe('account locked');
    expect(setCookies(res)).toEqual([]);
    expect(handled).toBe(0);
  });

  it('lets the request through once validate passes again', async () => {
    const http = await open();
    const login = await http().post('/login').expect(201);
    verdict = () => {
      throw new Error('user store unavailable');
    };
    await http().get('/ping').set('Cookie', cookieHeader(login)).expect(500);
    verdict = () => true;
    await http().get('/ping').set('Cookie', cookieHeader(login)).expect(200);
    expect(handled).toBe(1);
  });

  it('refuses a cross-site POST before validating or handling it, and passes it with csrf off', async () => {
    const http = await open();
    await http()
      .post('/transfer')
      .set('Sec-Fetch-Site', 'cross-site')
      .expect(403)
      .expect((res) => expect(res.body.message).toMatch(/^Cross-origin request refused/));
    expect(handled).toBe(0);

    const unprotected = await open({ session: { csrf: false } });
    await unprotected().post('/transfer').set('Sec-Fetch-Site', 'cross-site').expect(201);
    expect(handled).toBe(1);
  });
});

describe.each(PLATFORMS)('session guard presence, on %s', (platform) => {
  let canActivate: ReturnType<typeof jest.spyOn>;
  let app: INestApplication | undefined;
  beforeEach(() => {
    canActivate = jest.spyOn(SessionGuard.prototype, 'canActivate');
  });
  afterEach(async () => {
    canActivate.mockRestore();
    await app?.close();
    app = undefined;
  });
  const ping = async (session: AppSetup['session']) => {
    app = await createApp(platform, { controllers: [AccountController], session });
    await request(app.getHttpServer()).get('/ping').expect(200);
  };

  it('guards every route by default', async () => {
    await ping({});
    expect(canActivate).toHaveBeenCalledTimes(1);
  });

  it('adds no guard with csrf: false and no validate', async () => {
    await ping({ csrf: false });
    expect(canActivate).not.toHaveBeenCalled();
  });

  it('keeps the guard with csrf: false when validate is set, to fail what validate rejects', async () => {
    await ping({ csrf: false, validate: () => true });
    expect(canActivate).toHaveBeenCalledTimes(1);
  });
});

describe('session guard outside HTTP', () => {
  const runtime = new SessionRuntime(
    { secret: SECRET, validate: () => true },
    { warn: () => undefined, error: () => undefined, log: () => undefined },
  );
  const guard = new SessionGuard(new Reflector(), runtime);

  /** The context of a message with no HTTP request behind it. */
  const contextOf = (type: string, args: unknown[]) =>
    ({
      getType: () => type,
      getArgByIndex: (index: number) => args[index],
      getArgs: () => args,
      getHandler: () => contextOf,
      getClass: () => SessionGuard,
      switchToHttp: () => {
        throw new Error('not an HTTP context');
      },
    }) as unknown as ExecutionContext;

  it.each([
    ['a WebSocket message', 'ws', [{}, { event: 'hello' }]],
    ['an RPC message', 'rpc', [{ pattern: 'sum' }, {}, undefined]],
    ['a GraphQL-like context whose req is not an HTTP request', 'graphql', [{}, {}, { req: {} }]],
  ])('lets %s through: there is no request to judge', (_case, type, args) => {
    expect(guard.canActivate(contextOf(type, args))).toBe(true);
  });
});
