import 'reflect-metadata';
import type { ServerResponse } from 'node:http';
import { Controller, Get, Module, Post, Query, Res, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CookieSessionModule, Session, SessionService } from '../../lib/index.js';
import { launchChromium } from './support/chromium.js';
import { COOKIE_NAME, hostForBrowser, sessionCookie } from './support/sample-server.js';

const RUNS = 100;
/** How long one side of a race waits for the other before the run fails. */
const GATE_MS = 5_000;

type Account = Session<{ user?: string; run?: number }>;

/** A promise with its resolve function, failing after GATE_MS. */
function signal(what: string): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((ok, fail) => {
    resolve = ok;
    setTimeout(() => fail(new Error(`${what}: not within ${GATE_MS} ms`)), GATE_MS).unref();
  });
  return { promise, resolve };
}

/**
 * Orders each race: the poll reaches the server first (with the cookie from before), the login
 * or logout answers, and only then does the poll answer.
 */
class Races {
  private readonly runs = new Map<
    string,
    { pollIn: ReturnType<typeof signal>; actionOut: ReturnType<typeof signal> }
  >();
  /** Runs whose poll response carried a `Set-Cookie`. */
  readonly pollsThatWrote: string[] = [];

  private of(id: string) {
    let run = this.runs.get(id);
    if (!run)
      this.runs.set(
        id,
        (run = { pollIn: signal(`poll ${id}`), actionOut: signal(`action ${id}`) }),
      );
    return run;
  }

  async action(id: string, res: ServerResponse): Promise<void> {
    const run = this.of(id);
    await run.pollIn.promise;
    res.once('finish', () => run.actionOut.resolve());
  }

  async poll(id: string, res: ServerResponse): Promise<void> {
    const run = this.of(id);
    res.once('finish', () => {
      if (res.getHeader('set-cookie') !== undefined) this.pollsThatWrote.push(id);
      this.runs.delete(id);
    });
    run.pollIn.resolve();
    await run.actionOut.promise;
  }
}

const races = new Races();

@Controller()
class AccountController {
  constructor(private readonly sessions: SessionService) {}

  @Get()
  home(): string {
    return '<!doctype html><title>Account</title><link rel="icon" href="data:,">';
  }

  @Get('me')
  me(@Session() session: Account) {
    return { user: session.user ?? null, run: session.run ?? null };
  }

  /** An API poll that never touches the session (like a browser's /favicon.ico request). */
  @Get('api/poll')
  async poll(@Query('run') run: string, @Res({ passthrough: true }) res: ServerResponse) {
    await races.poll(run, res);
    return { notifications: 0 };
  }

  @Post('login')
  async login(@Query('run') run: string, @Res({ passthrough: true }) res: ServerResponse) {
    await races.action(run, res);
    const session = this.sessions.regenerate<{ user?: string; run?: number }>();
    session.user = 'ada';
    session.run = Number(run.split('-')[0]);
    return { ok: true };
  }

  @Post('logout')
  async logout(@Query('run') run: string, @Res({ passthrough: true }) res: ServerResponse) {
    await races.action(run, res);
    this.sessions.destroy();
    return { ok: true };
  }
}

// The module's defaults: only the secret is given.
@Module({
  imports: [CookieSessionModule.forRoot({ secret: 'race-Lm5nB8vC2xZ7qW4eR1tY9uI3oP6aS0dF' })],
  controllers: [AccountController],
})
class AccountModule {}

let app: INestApplication;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  app = await NestFactory.create(AccountModule, new ExpressAdapter(), { logger: false });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  browser = await launchChromium();
  context = await browser.newContext({ baseURL: `http://${await hostForBrowser()}:${port}` });
  page = await context.newPage();
  await page.goto('/');
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

/** In the page: the poll goes out first, then the POST; resolves once both have answered. */
async function race(action: 'login' | 'logout', run: string): Promise<void> {
  const statuses = await page.evaluate<number[], [string, string]>(
    ([action, run]) =>
      Promise.all([
        fetch(`/api/poll?run=${run}`).then((r) => r.status),
        fetch(`/${action}?run=${run}`, { method: 'POST' }).then((r) => r.status),
      ]),
    [action, run],
  );
  expect(statuses).toEqual([200, 201]);
}

async function me(): Promise<{ user: string | null; run: number | null }> {
  return page.evaluate("fetch('/me').then((r) => r.json())");
}

it(`keeps what login and logout set when an untouched request answers after them (${RUNS} runs)`, async () => {
  const outcomes: string[] = [];
  for (let i = 0; i < RUNS; i++) {
    await race('login', `${i}-in`);
    const afterLogin = await me();
    const cookie = await sessionCookie(context);
    await race('logout', `${i}-out`);
    const afterLogout = await me();
    const gone = (await sessionCookie(context)) === undefined;
    outcomes.push(
      `${JSON.stringify(afterLogin)} ${cookie?.name} / ${JSON.stringify(afterLogout)} ${gone}`,
    );
  }
  const expected = outcomes.map(
    (_, i) => `{"user":"ada","run":${i}} ${COOKIE_NAME} / {"user":null,"run":null} true`,
  );
  expect(outcomes).toEqual(expected);
  expect(races.pollsThatWrote).toEqual([]);
}, 180_000);
