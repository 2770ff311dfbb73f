import { mkdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Cookie, Page } from 'playwright-core';
import { launchChromium } from './support/chromium.js';
import { startSample, type SampleServer } from './support/sample-server.js';

const OUTPUT = fileURLToPath(new URL('../../output/browser/', import.meta.url));
const DAY_S = 24 * 60 * 60;

let server: SampleServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  mkdirSync(OUTPUT, { recursive: true });
  server = await startSample({ SESSION_SECRET: 'a-browser-test-secret-that-is-long-enough-42' });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

// A fresh cookie jar for every test.
beforeEach(async () => {
  context = await browser.newContext({ baseURL: server.baseUrl });
  page = await context.newPage();
});

afterEach(async () => {
  await context?.close();
});

/** The session cookie in the browser's jar, if any. */
async function sessionCookie(): Promise<Cookie | undefined> {
  return (await context.cookies()).find((c) => c.name === 'session');
}

/** Goes to `path` and fails on an error page. */
async function visit(path: string): Promise<void> {
  const response = await page.goto(path);
  expect(response?.status()).toBeLessThan(400);
}

async function logIn(name: string, rememberMe = false): Promise<void> {
  await visit('/login');
  await page.fill('input[name=name]', name);
  if (rememberMe) await page.check('input[name=rememberMe]');
  await Promise.all([page.waitForURL('**/profile'), page.click('main button[type=submit]')]);
}

/** Seconds from now until the session cookie expires. */
async function secondsLeft(): Promise<number> {
  const cookie = await sessionCookie();
  expect(cookie).toBeDefined();
  return cookie!.expires - Date.now() / 1000;
}

it('counts views over three reloads, in a Secure, HttpOnly cookie the browser keeps', async () => {
  await visit('/');
  expect(await page.textContent('#views')).toBe('1');
  for (const expected of ['2', '3', '4']) {
    await page.reload();
    expect(await page.textContent('#views')).toBe(expected);
  }
  // Stored although the page is plain HTTP: browsers keep Secure cookies from localhost.
  expect(await sessionCookie()).toMatchObject({
    secure: true,
    httpOnly: true,
    sameSite: 'Lax',
    path: '/',
  });
  await page.screenshot({ path: `${OUTPUT}home.png`, fullPage: true });
  expect(statSync(`${OUTPUT}home.png`).size).toBeGreaterThan(0);
});

it('hides the session cookie from document.cookie', async () => {
  await visit('/');
  // (Strings run in the page: this project compiles without the DOM types.)
  await page.evaluate("document.cookie = 'probe=visible'");
  expect(await sessionCookie()).toBeDefined();
  const seen = await page.evaluate<string>('document.cookie');
  expect(seen).toContain('probe=visible');
  expect(seen).not.toContain('session');
});

it('logs in, shows the profile and the welcome message once', async () => {
  await visit('/profile');
  expect(new URL(page.url()).pathname).toBe('/login');

  await logIn('Ada <Lovelace>');
  expect(await page.textContent('#name')).toBe('Ada <Lovelace>');
  expect(await page.textContent('.flash')).toBe('Welcome, Ada <Lovelace>!');
  expect(await page.textContent('#remember-me')).toBe('no');
  await page.screenshot({ path: `${OUTPUT}profile.png`, fullPage: true });

  await page.reload();
  expect(await page.textContent('#name')).toBe('Ada <Lovelace>');
  expect(await page.locator('.flash').count()).toBe(0);
});

it('keeps a remembered user 30 days, also across later requests', async () => {
  await logIn('Grace', true);
  expect(await page.textContent('#remember-me')).toBe('yes');
  expect(await secondsLeft()).toBeCloseTo(30 * DAY_S, -2);

  // Every response renews the cookie; the 30 days must stick, even on a 404.
  await visit('/');
  await page.goto('/no-such-page');
  await visit('/profile');
  expect(await page.textContent('#lifetime')).toBe('30 days');
  expect(await secondsLeft()).toBeCloseTo(30 * DAY_S, -2);
});

it('gives other users the default 24 hours', async () => {
  await logIn('Linus');
  expect(await secondsLeft()).toBeCloseTo(DAY_S, -2);
  await page.goto('/no-such-page');
  await visit('/');
  expect(await secondsLeft()).toBeCloseTo(DAY_S, -2);
});

it('logs out: says so once, and the profile is closed again', async () => {
  await logIn('Grace', true);
  await Promise.all([page.waitForURL(server.baseUrl + '/'), page.click('nav button')]);
  expect(await page.textContent('.flash')).toBe('You have been logged out.');
  expect(await page.locator('nav button').count()).toBe(0);
  // The flash lives in a new session with the default lifetime: "remember me" went with the old.
  expect(await secondsLeft()).toBeCloseTo(DAY_S, -2);

  await visit('/profile');
  expect(new URL(page.url()).pathname).toBe('/login');
  expect(await page.textContent('h1')).toBe('Log in');
  expect(await page.locator('.flash').count()).toBe(0);
});

describe('a session cookie corrupted in the jar', () => {
  const corruptions: [string, (value: string) => string][] = [
    ['one character changed', (v) => v.slice(0, 30) + (v[30] === 'A' ? 'B' : 'A') + v.slice(31)],
    ['truncated', (v) => v.slice(0, v.length - 10)],
    ['garbage', () => 'not-a-sealed-session'],
    ['empty', () => ''],
  ];

  it.each(corruptions)('%s: the logged-out view, never an error page', async (_, corrupt) => {
    await logIn('Mallory', true);
    const cookie = (await sessionCookie())!;
    const value = corrupt(cookie.value);
    await context.addCookies([{ ...cookie, value }]);
    expect((await sessionCookie())?.value).toBe(value);

    await visit('/profile');
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(await page.textContent('h1')).toBe('Log in');

    await visit('/');
    expect(await page.textContent('#views')).toBe('1');
    expect(await page.locator('nav button').count()).toBe(0);
  });
});
