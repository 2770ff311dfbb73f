import { randomBytes } from 'node:crypto';
import { createServer, request, type Server } from 'node:http';
import {
  createServer as createNetServer,
  type AddressInfo,
  type Server as NetServer,
} from 'node:net';
import { Controller, Get, Module, Query, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CookieSessionModule, Session, type CookieSessionOptions } from '../../lib/index.js';
import { launchChromium } from './support/chromium.js';

/**
 * Cookie tossing: a page on a sibling subdomain (evil.site.localhost) sets a cookie for the
 * parent domain with the session cookie's name and a longer path, holding a valid seal of the
 * attacker's own session. The browser then sends both cookies to app.site.localhost, the
 * attacker's first on the paths it chose. The library ignores every copy of a session cookie
 * that comes more than once, and never renews or rewrites a cookie from such a request, so the
 * victim is never switched into the attacker's session. With the `__Host-` name (the default
 * when the options allow it) the browser refuses the tossed cookie in the first place.
 *
 * Chromium resolves every `*.localhost` name to the loopback address, so two "sites" run on
 * 127.0.0.1 without touching DNS.
 */
type Account = { user?: string };

@Controller()
class AccountController {
  @Get('login')
  login(@Session() session: Session<Account>, @Query('user') user: string) {
    session.user = user;
    return { user };
  }

  @Get('whoami')
  whoami(@Session() session: Session<Account>) {
    return { user: session.user ?? null };
  }

  @Get('account/whoami')
  accountWhoami(@Session() session: Session<Account>) {
    return { user: session.user ?? null };
  }
}

async function startApp(options: Partial<CookieSessionOptions>) {
  @Module({
    imports: [
      CookieSessionModule.forRoot({
        secret: randomBytes(32).toString('base64url'),
        renewAfter: 0, // renew on every response: the most a tossed cookie could be rewritten
        ...options,
      } as CookieSessionOptions),
    ],
    controllers: [AccountController],
  })
  class AppModule {}
  const app = await NestFactory.create(AppModule, new ExpressAdapter(), { logger: false });
  await app.listen(0, '127.0.0.1');
  return { app, port: (app.getHttpServer().address() as AddressInfo).port };
}

/** `name=value` of the session cookie the app sets when `user` logs in over plain HTTP. */
function loginOverHttp(port: number, user: string): Promise<{ name: string; value: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: `/login?user=${user}` }, (res) => {
      res.resume();
      const line = res.headers['set-cookie']?.[0] ?? '';
      const pair = line.split(';')[0];
      const eq = pair.indexOf('=');
      if (eq < 1) reject(new Error(`no session cookie for ${user} (status ${res.statusCode})`));
      else resolve({ name: pair.slice(0, eq), value: pair.slice(eq + 1) });
    });
    req.setTimeout(10_000, () => req.destroy(new Error('no answer within 10 s')));
    req.on('error', reject);
    req.end();
  });
}

/** A sibling-subdomain page that writes `cookie` with `document.cookie` (the toss). */
function startEvilSite(cookie: string): Promise<Server> {
  const page = `<!doctype html><title>evil</title><script>document.cookie = ${JSON.stringify(cookie)};</script>`;
  const server = createServer((_, res) => {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(page);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/**
 * A sibling-subdomain server whose responses set the cookie `setCookie`, written byte for byte
 * as latin1 (Node's HTTP server would send a character such as U+00A0 as UTF-8).
 */
function startEvilServer(setCookie: string): Promise<NetServer> {
  const server = createNetServer((socket) => {
    socket.once('data', () => {
      const head = `HTTP/1.1 200 OK\r\nSet-Cookie: ${setCookie}\r\nContent-Type: text/html\r\n`;
      const body = '<!doctype html><title>evil</title>';
      socket.end(
        Buffer.from(
          `${head}Content-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
          'latin1',
        ),
      );
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** GETs `url` in the page: the JSON body, the Cookie header sent and any Set-Cookie received. */
async function visit(page: Page, url: string) {
  const response = (await page.goto(url))!;
  const sent = (await response.request().allHeaders()).cookie ?? '';
  return {
    body: (await response.json()) as Account,
    sentCookie: sent,
    setCookie: await response.headerValue('set-cookie'),
  };
}

const timesNamed = (header: string, name: string) =>
  header.split(/;\s*/).filter((pair) => pair.startsWith(`${name}=`)).length;

describe('a session cookie tossed from a sibling subdomain, in Chromium', () => {
  let browser: Browser;
  let context: BrowserContext;
  let app: INestApplication;
  let evil: Server | NetServer;

  beforeAll(async () => {
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
  });

  afterEach(async () => {
    await context?.close();
    await app?.close();
    await new Promise((resolve) => evil?.close(resolve));
  });

  async function setUp(
    options: Partial<CookieSessionOptions>,
    tossed: (seal: string) => string,
    start: (cookie: string) => Promise<Server | NetServer> = startEvilSite,
  ) {
    const started = await startApp(options);
    app = started.app;
    const bob = await loginOverHttp(started.port, 'bob');
    evil = await start(tossed(bob.value));
    context = await browser.newContext();
    const page = await context.newPage();
    const appUrl = `http://app.site.localhost:${started.port}`;
    const evilUrl = `http://evil.site.localhost:${(evil.address() as AddressInfo).port}/`;
    return { page, appUrl, evilUrl, cookieName: bob.name, bobSeal: bob.value };
  }

  it('with the name "session" and no Secure: never switches alice to bob, nor rewrites her cookie', async () => {
    const { page, appUrl, evilUrl, cookieName, bobSeal } = await setUp(
      { name: 'session', secure: false },
      (seal) => `session=${seal}; Domain=site.localhost; Path=/account`,
    );
    expect(cookieName).toBe('session');
    expect((await visit(page, `${appUrl}/login?user=alice`)).body).toEqual({ user: 'alice' });

    await page.goto(evilUrl);
    const tossed = (await context.cookies(`${appUrl}/account/`)).filter(
      (c) => c.domain === '.site.localhost',
    );
    expect(tossed.map((c) => [c.name, c.path])).toEqual([['session', '/account']]);

    const account = await visit(page, `${appUrl}/account/whoami`);
    // The browser did send both cookies (bob's first): the request was a real toss.
    expect(timesNamed(account.sentCookie, 'session')).toBe(2);
    expect(account.body.user).not.toBe('bob');
    expect(account.body).toEqual({ user: null });
    // The tossed request's response rewrote nothing. The browser's own requests without the
    // tossed cookie (its /favicon.ico) may still renew alice's cookie meanwhile (renewAfter: 0),
    // so the jar is checked for whose session it holds, not for the exact value.
    expect(account.setCookie).toBeNull();
    const own = (await context.cookies(appUrl)).find((c) => c.domain === 'app.site.localhost');
    expect([own?.name, own?.path]).toEqual(['session', '/']);
    expect(own?.value).not.toBe(bobSeal);

    expect((await visit(page, `${appUrl}/whoami`)).body).toEqual({ user: 'alice' });
  });

  it('with the default __Host-session name: the browser refuses the tossed cookie', async () => {
    const { page, appUrl, evilUrl, cookieName } = await setUp({}, (seal) =>
      [`__Host-session=${seal}`, 'Domain=site.localhost', 'Path=/account', 'Secure'].join('; '),
    );
    expect(cookieName).toBe('__Host-session');
    expect((await visit(page, `${appUrl}/login?user=alice`)).body).toEqual({ user: 'alice' });
    // Chromium treats http://*.localhost as a secure context: it keeps the Secure __Host- cookie.
    expect((await context.cookies(appUrl)).map((c) => [c.name, c.secure, c.path])).toEqual([
      ['__Host-session', true, '/'],
    ]);

    await page.goto(evilUrl);
    expect(await page.evaluate('document.cookie')).toBe('');
    const all = await context.cookies([appUrl, `${appUrl}/account/`, evilUrl]);
    expect(all.filter((c) => c.domain !== 'app.site.localhost')).toEqual([]);

    const account = await visit(page, `${appUrl}/account/whoami`);
    expect(timesNamed(account.sentCookie, '__Host-session')).toBe(1);
    expect(account.body).toEqual({ user: 'alice' });
    expect((await visit(page, `${appUrl}/whoami`)).body).toEqual({ user: 'alice' });
  });

  it('with the default __Host-session name: a name with a no-break space in front is another cookie', async () => {
    // Node sends header text as latin1: the name starts with the byte 0xA0. Browsers do not hold
    // such a name to the __Host- rules (no Secure, a Domain), so only the server can refuse it.
    const { page, appUrl, evilUrl } = await setUp(
      {},
      (seal) => `\u00a0__Host-session=${seal}; Domain=site.localhost; Path=/`,
      startEvilServer,
    );
    expect((await visit(page, `${appUrl}/whoami`)).body).toEqual({ user: null });

    await page.goto(evilUrl);
    // The browser kept it (for the parent domain, not Secure) and sends it to the app.
    const tossed = (await context.cookies(appUrl)).filter((c) => c.domain === '.site.localhost');
    expect(tossed.map((c) => [c.name.endsWith('__Host-session'), c.secure])).toEqual([
      [true, false],
    ]);
    const whoami = await visit(page, `${appUrl}/whoami`);
    expect(whoami.sentCookie).toContain('__Host-session=');
    expect(whoami.body).toEqual({ user: null });

    // The victim's own login still works beside it.
    expect((await visit(page, `${appUrl}/login?user=alice`)).body).toEqual({ user: 'alice' });
    expect((await visit(page, `${appUrl}/whoami`)).body).toEqual({ user: 'alice' });
  });
});
