import { lookup } from 'node:dns/promises';
import {
  Controller,
  Get,
  Injectable,
  UseGuards,
  type CanActivate,
  type INestApplication,
} from '@nestjs/common';
import type { Browser } from 'playwright-core';
import { Session, SessionService, type SessionInput } from '../../lib/index.js';
import { PLATFORMS, createApp } from '../e2e/support/create-app.js';
import { launchChromium } from './support/chromium.js';

const MAX_AGE = 60 * 60 * 1000;

// README: test kit.
/**
 * A Playwright `storageState` whose browser is logged in as `data`, for the module's default
 * cookie attributes (adjust `path`, `secure`, `sameSite` if you changed them).
 */
export function sessionStorageState(
  sessions: SessionService,
  data: SessionInput,
  { domain = 'localhost', maxAge = 24 * 60 * 60 * 1000 } = {},
) {
  const expires = Math.floor((Date.now() + maxAge) / 1000);
  const cookies = sessions
    .toCookieHeader(data)
    .split('; ')
    .map((pair) => {
      const eq = pair.indexOf('=');
      return {
        name: pair.slice(0, eq),
        value: pair.slice(eq + 1),
        domain,
        path: '/',
        httpOnly: true,
        secure: true,
        sameSite: 'Lax' as const,
        expires,
      };
    });
  return { cookies, origins: [] };
}

@Injectable()
class LoggedInGuard implements CanActivate {
  constructor(private readonly sessions: SessionService) {}

  canActivate(): boolean {
    return this.sessions.get<{ user?: string }>().user !== undefined;
  }
}

@Controller()
class ProfileController {
  @Get('profile')
  @UseGuards(LoggedInGuard)
  profile(@Session() session: Session<{ user?: string; visits?: number }>) {
    session.visits = (session.visits ?? 0) + 1;
    return { user: session.user, visits: session.visits };
  }
}

/** Browsers keep Secure cookies from plain-HTTP localhost: use it when it is 127.0.0.1. */
async function hostForBrowser(): Promise<string> {
  const addresses = await lookup('localhost', { all: true }).catch(() => []);
  return addresses.some((a) => a.address === '127.0.0.1') ? 'localhost' : '127.0.0.1';
}

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

describe.each(PLATFORMS)('a Playwright storageState from toCookieHeader() on %s', (platform) => {
  let app: INestApplication;
  let host: string;
  let baseURL: string;

  beforeAll(async () => {
    app = await createApp(platform, {
      controllers: [ProfileController],
      session: { maxAge: MAX_AGE },
    });
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as { port: number };
    host = await hostForBrowser();
    baseURL = `http://${host}:${port}`;
  });

  afterAll(async () => {
    await app?.close();
  });

  it('opens a logged-in page without a login flow', async () => {
    const storageState = sessionStorageState(
      app.get(SessionService),
      { user: 'ada' },
      { domain: host, maxAge: MAX_AGE },
    );
    const context = await browser.newContext({ baseURL, storageState });
    try {
      const page = await context.newPage();
      const first = await page.goto('/profile');
      expect(first?.status()).toBe(200);
      expect(await first?.json()).toEqual({ user: 'ada', visits: 1 });

      // The page changed the session (its visit count): the browser took the new cookie.
      const second = await page.goto('/profile');
      expect(await second?.json()).toEqual({ user: 'ada', visits: 2 });
      const [cookie] = await context.cookies();
      expect(cookie).toMatchObject({ name: '__Host-session', httpOnly: true, secure: true });
    } finally {
      await context.close();
    }
  });

  it('is refused in a browser without that state', async () => {
    const context = await browser.newContext({ baseURL });
    try {
      const page = await context.newPage();
      expect((await page.goto('/profile'))?.status()).toBe(403);
    } finally {
      await context.close();
    }
  });
});
