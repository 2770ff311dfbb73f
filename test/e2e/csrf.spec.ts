import {
  Controller,
  HttpException,
  Injectable,
  type CanActivate,
  type ExecutionContext,
  Delete,
  Get,
  Module,
  Patch,
  Post,
  Put,
  type INestApplication,
  type MiddlewareConsumer,
  type NestModule,
} from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import request from 'supertest';
import {
  CookieSessionOptionsError,
  CsrfExempt,
  type CookieSessionOptions,
} from '../../lib/index.js';
import { PLATFORMS, createApp, type Platform } from './support/create-app.js';

const HOST = 'app.example.com';
const SAME = `https://${HOST}`;
const SPA = 'https://spa.example.com';
const EVIL = 'https://evil.example';

/** Handler runs, by route: a refused request must not reach its handler. */
const reached: string[] = [];

@Controller('transfer')
class TransferController {
  @Get()
  read() {
    reached.push('read');
    return { ok: true };
  }
  @Post()
  create() {
    reached.push('create');
    return { ok: true };
  }
  @Put()
  replace() {
    reached.push('replace');
    return { ok: true };
  }
  @Patch()
  update() {
    reached.push('update');
    return { ok: true };
  }
  @Delete()
  remove() {
    reached.push('remove');
    return { ok: true };
  }
  @Post('webhook')
  @CsrfExempt()
  webhook() {
    reached.push('webhook');
    return { ok: true };
  }
}

@CsrfExempt()
@Controller('oauth')
class OAuthCallbackController {
  @Post('callback')
  callback() {
    reached.push('callback');
    return { ok: true };
  }
}

/**
 * A login done by middleware before the routes, as `passport.authenticate()` applied with
 * Nest's MiddlewareConsumer does it: the session is changed before the cross-origin check runs.
 */
@Controller('login')
class LoginController {
  @Post()
  login() {
    reached.push('login');
    return { ok: true };
  }
}

@Module({ controllers: [LoginController] })
class MiddlewareLoginModule implements NestModule {
  configure(consumer: MiddlewareConsumer) {
    consumer
      .apply((req: any, _res: unknown, next: () => void) => {
        req.session.user = 'attacker';
        next();
      })
      .forRoutes('login');
  }
}

/** One of the root module's own global guards, which run before the cross-origin check. */
@Injectable()
class ThrottleGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<{ headers: Record<string, unknown> }>();
    if (req.headers['x-throttle'] !== undefined) throw new HttpException('Too Many Requests', 429);
    return true;
  }
}

type Headers = Record<string, string>;
type Method = 'get' | 'head' | 'post' | 'put' | 'patch' | 'delete';

/** One request of each kind the protection tells apart, with what it should decide. */
const TABLE: [string, 'pass' | 'refused', Headers][] = [
  ['no Sec-Fetch-Site and no Origin (not a browser)', 'pass', {}],
  ['Sec-Fetch-Site: same-origin', 'pass', { 'Sec-Fetch-Site': 'same-origin' }],
  ['Sec-Fetch-Site: none (typed in the address bar)', 'pass', { 'Sec-Fetch-Site': 'none' }],
  [
    'Sec-Fetch-Site: same-origin with another Origin',
    'pass',
    { 'Sec-Fetch-Site': 'same-origin', Origin: EVIL },
  ],
  ['Sec-Fetch-Site: same-site', 'refused', { 'Sec-Fetch-Site': 'same-site', Origin: SPA }],
  ['Sec-Fetch-Site: cross-site', 'refused', { 'Sec-Fetch-Site': 'cross-site', Origin: EVIL }],
  [
    'Sec-Fetch-Site: cross-site with this Origin',
    'refused',
    { 'Sec-Fetch-Site': 'cross-site', Origin: SAME },
  ],
  ['an unknown Sec-Fetch-Site', 'refused', { 'Sec-Fetch-Site': 'whatever' }],
  ['only Origin, this host', 'pass', { Origin: SAME }],
  ['only Origin, another host', 'refused', { Origin: EVIL }],
  ['only Origin: null', 'refused', { Origin: 'null' }],
];

function send(app: INestApplication, method: Method, path: string, headers: Headers) {
  let req = request(app.getHttpServer())[method](path).set('Host', HOST);
  for (const [name, value] of Object.entries(headers)) req = req.set(name, value);
  return req;
}

function expectRefused(res: request.Response, header: string): void {
  expect(res.status).toBe(403);
  expect(res.body).toEqual({
    statusCode: 403,
    error: 'Forbidden',
    message: expect.stringContaining(header),
  });
  expect(res.body.message).toContain('csrf.trustedOrigins');
  expect(res.body.message).toContain('@CsrfExempt()');
}

async function appWith(
  platform: Platform,
  session: Partial<CookieSessionOptions> = {},
): Promise<INestApplication> {
  return createApp(platform, {
    session,
    imports: [MiddlewareLoginModule],
    controllers: [TransferController, OAuthCallbackController],
    providers: [{ provide: APP_GUARD, useClass: ThrottleGuard }],
  });
}

describe.each(PLATFORMS)('cross-origin request protection on %s', (platform) => {
  let app: INestApplication;
  beforeAll(async () => {
    app = await appWith(platform);
  });
  afterAll(async () => {
    await app?.close();
  });
  beforeEach(() => {
    reached.length = 0;
  });

  it.each(TABLE)('POST with %s: %s', async (_, verdict, headers) => {
    const res = await send(app, 'post', '/transfer', headers);
    if (verdict === 'pass') {
      expect(res.status).toBe(201);
      expect(reached).toEqual(['create']);
    } else {
      expectRefused(
        res,
        headers.Origin && !headers['Sec-Fetch-Site'] ? 'Origin' : 'Sec-Fetch-Site',
      );
      expect(reached).toEqual([]);
    }
  });

  it.each<Method>(['put', 'patch', 'delete'])('refuses a cross-site %s', async (method) => {
    const res = await send(app, method, '/transfer', {
      'Sec-Fetch-Site': 'cross-site',
      Origin: EVIL,
    });
    expectRefused(res, 'Sec-Fetch-Site: cross-site');
    expect(reached).toEqual([]);
  });

  it.each<Method>(['put', 'patch', 'delete'])('lets a same-origin %s through', async (method) => {
    const res = await send(app, method, '/transfer', {
      'Sec-Fetch-Site': 'same-origin',
      Origin: SAME,
    });
    expect(res.status).toBe(200);
    expect(reached).toHaveLength(1);
  });

  it.each<Method>(['get', 'head'])(
    'lets a cross-site %s through (reads change nothing)',
    async (method) => {
      const res = await send(app, method, '/transfer', {
        'Sec-Fetch-Site': 'cross-site',
        Origin: EVIL,
      });
      expect(res.status).toBe(200);
      expect(reached).toEqual(['read']);
    },
  );

  it('writes nothing of a refused request, not even what middleware before the check did (login CSRF)', async () => {
    const refused = await send(app, 'post', '/login', {
      'Sec-Fetch-Site': 'cross-site',
      Origin: EVIL,
    });
    expectRefused(refused, 'Sec-Fetch-Site: cross-site');
    expect(refused.headers['set-cookie']).toBeUndefined();
    expect(reached).toEqual([]);

    const allowed = await send(app, 'post', '/login', { 'Sec-Fetch-Site': 'same-origin' });
    expect(allowed.status).toBe(201);
    expect(allowed.headers['set-cookie']).toHaveLength(1);
  });

  it("writes nothing of a cross-site request the root module's own guard refused first", async () => {
    const refused = await send(app, 'post', '/login', {
      'Sec-Fetch-Site': 'cross-site',
      Origin: EVIL,
      'X-Throttle': '1',
    });
    expect(refused.status).toBe(429);
    expect(refused.headers['set-cookie']).toBeUndefined();

    // The same refusal of a same-origin request is the app's own: its session is written.
    const sameOrigin = await send(app, 'post', '/login', {
      'Sec-Fetch-Site': 'same-origin',
      'X-Throttle': '1',
    });
    expect(sameOrigin.status).toBe(429);
    expect(sameOrigin.headers['set-cookie']).toHaveLength(1);
  });

  it('lets cross-site requests reach a handler marked @CsrfExempt()', async () => {
    const res = await send(app, 'post', '/transfer/webhook', {
      'Sec-Fetch-Site': 'cross-site',
      Origin: EVIL,
    });
    expect(res.status).toBe(201);
    expect(reached).toEqual(['webhook']);
  });

  it('lets cross-site requests reach a controller marked @CsrfExempt()', async () => {
    const res = await send(app, 'post', '/oauth/callback', {
      'Sec-Fetch-Site': 'cross-site',
      Origin: 'null',
    });
    expect(res.status).toBe(201);
    expect(reached).toEqual(['callback']);
  });

  it('does not take a spoofed X-Forwarded-Host for this host', async () => {
    const res = await send(app, 'post', '/transfer', {
      Origin: EVIL,
      'X-Forwarded-Host': 'evil.example',
    });
    expectRefused(res, 'Origin');
  });

  it('lets everything through with csrf: false', async () => {
    const open = await appWith(platform, { csrf: false });
    try {
      for (const [, , headers] of TABLE) {
        expect((await send(open, 'post', '/transfer', headers)).status).toBe(201);
      }
      expect(reached).toHaveLength(TABLE.length);
    } finally {
      await open.close();
    }
  });

  it('lets a listed origin through, and only that one', async () => {
    const trusting = await appWith(platform, { csrf: { trustedOrigins: [SPA] } });
    try {
      const spa = await send(trusting, 'post', '/transfer', {
        'Sec-Fetch-Site': 'same-site',
        Origin: SPA,
      });
      expect(spa.status).toBe(201);
      const oldBrowser = await send(trusting, 'delete', '/transfer', { Origin: SPA });
      expect(oldBrowser.status).toBe(200);
      const evil = await send(trusting, 'post', '/transfer', {
        'Sec-Fetch-Site': 'cross-site',
        Origin: EVIL,
      });
      expectRefused(evil, 'Sec-Fetch-Site: cross-site');
      expect(reached).toEqual(['create', 'remove']);
    } finally {
      await trusting.close();
    }
  });

  it('takes the host from X-Forwarded-Host behind a trusted proxy (secureProxy)', async () => {
    const proxied = await appWith(platform, { secureProxy: true });
    try {
      const headers = { Origin: SAME, 'X-Forwarded-Host': HOST };
      const res = await request(proxied.getHttpServer())
        .post('/transfer')
        .set('Host', 'backend:3000')
        .set(headers);
      expect(res.status).toBe(201);
    } finally {
      await proxied.close();
    }
  });

  it('fails the boot for a trusted origin that is not an origin, naming the entry', async () => {
    const error = await appWith(platform, {
      csrf: { trustedOrigins: [SPA, 'spa.example.com/app'] },
    }).then(
      (booted) => booted.close().then(() => undefined),
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CookieSessionOptionsError);
    expect((error as CookieSessionOptionsError).option).toBe('csrf.trustedOrigins[1]');
    expect((error as Error).message).toContain(
      'must be an origin such as "https://app.example.com"',
    );
  });
});

describe('cross-origin request protection behind method-override middleware, on express', () => {
  let app: INestApplication;
  beforeAll(async () => {
    app = await createApp('express', {
      controllers: [TransferController],
      // What method-override does with `?_method=`: the form's POST is routed as the method named.
      configure: (a) =>
        a.use((req: any, _res: unknown, next: () => void) => {
          const named = /[?&]_method=(\w+)/.exec(req.url)?.[1];
          if (req.method === 'POST' && named) {
            req.originalMethod = req.method;
            req.method = named;
          }
          next();
        }),
    });
  });
  afterAll(() => app?.close());
  beforeEach(() => {
    reached.length = 0;
  });

  it('judges the POST a cross-site form sent, not the GET it is routed as', async () => {
    const res = await send(app, 'post', '/transfer?_method=GET', {
      'Sec-Fetch-Site': 'cross-site',
      Origin: EVIL,
    });
    expectRefused(res, 'Sec-Fetch-Site: cross-site');
    expect(reached).toEqual([]);

    const sameOrigin = await send(app, 'post', '/transfer?_method=GET', {
      'Sec-Fetch-Site': 'same-origin',
    });
    expect(sameOrigin.status).toBe(200);
    expect(reached).toEqual(['read']);
  });
});
