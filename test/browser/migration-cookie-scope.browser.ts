import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Controller, Get, Module, Post, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import type { Browser, BrowserContext } from 'playwright-core';
import { CookieSessionModule, Session, SessionService } from '../../lib/index.js';
import { startCookieSessionApp, type CookieSessionApp } from '../legacy/cookie-session-app.js';
import { launchChromium } from './support/chromium.js';

/**
 * Switching from cookie-session when the old app set its cookie on a parent domain (shared with
 * sibling subdomains). The new cookie is `__Host-session`, which can have no domain, so the
 * lines that expire the old cookies must name the old domain themselves: a browser drops a
 * cookie only for its own domain and path. Otherwise the old cookie stays, and after a logout
 * it logs its user straight back in.
 *
 * Chromium resolves every `*.localhost` name to the loopback address; both apps serve
 * app.site.localhost (two ports, one host: cookies ignore ports).
 */
const OLD_KEYS = ['the old app key, as it always was'];
const HOST = 'app.site.localhost';

@Controller()
class AccountController {
  constructor(private readonly sessions: SessionService) {}

  @Get('whoami')
  whoami(@Session() session: Session<{ user?: { name: string } }>) {
    return { user: session.user?.name ?? null };
  }

  @Post('logout')
  logout() {
    this.sessions.destroy();
    return {};
  }
}

async function startNewApp(): Promise<INestApplication> {
  @Module({
    imports: [
      CookieSessionModule.forRoot({
        secret: randomBytes(32).toString('base64url'),
        legacy: { cookieSession: { keys: OLD_KEYS, domain: 'site.localhost' } },
      }),
    ],
    controllers: [AccountController],
  })
  class AppModule {}
  const app = await NestFactory.create(AppModule, new ExpressAdapter(), { logger: false });
  await app.listen(0, '127.0.0.1');
  return app;
}

describe('switching from cookie-session whose cookie was set on a parent domain (Chromium)', () => {
  let browser: Browser;
  let oldApp: CookieSessionApp;
  let app: INestApplication;
  let context: BrowserContext;

  beforeAll(async () => {
    browser = await launchChromium();
    oldApp = await startCookieSessionApp({ keys: OLD_KEYS, domain: 'site.localhost' });
    app = await startNewApp();
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await oldApp?.close();
    await browser?.close();
  });
  beforeEach(async () => {
    context = await browser.newContext();
  });
  afterEach(() => context.close());

  it('keeps the user logged in, drops the old cookies, and logging out sticks', async () => {
    const page = await context.newPage();
    const oldPort = new URL(oldApp.url).port;
    await page.goto(`http://${HOST}:${oldPort}/login?id=7&name=alice`);
    const oldCookies = (await context.cookies()).map((c) => `${c.name}@${c.domain}`).sort();
    expect(oldCookies).toEqual(['session.sig@.site.localhost', 'session@.site.localhost']);

    const origin = `http://${HOST}:${(app.getHttpServer().address() as AddressInfo).port}`;
    const whoami = async () => {
      const res = await page.goto(`${origin}/whoami`);
      return ((await res!.json()) as { user: string | null }).user;
    };
    expect(await whoami()).toBe('alice');
    expect((await context.cookies()).map((c) => c.name)).toEqual(['__Host-session']);

    const status = await page.evaluate(
      async () => (await fetch('/logout', { method: 'POST' })).status,
    );
    expect(status).toBe(201);
    expect(await whoami()).toBeNull();
    expect(await context.cookies()).toEqual([]);
  });
});
