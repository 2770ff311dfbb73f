import { mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from './support/chromium.js';
import {
  logIn,
  sessionCookie,
  startSample,
  submitLogin,
  visit,
  type SampleServer,
} from './support/sample-server.js';

/** The README shows these pages. */
const IMAGES = fileURLToPath(new URL('../../docs/images/', import.meta.url));
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const DAY_S = 24 * 60 * 60;

let server: SampleServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  mkdirSync(IMAGES, { recursive: true });
  server = await startSample({ SESSION_SECRET: 'a-browser-test-secret-that-is-long-enough-42' });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

// A fresh cookie jar for every test; a small window, so the pictures stay small.
beforeEach(async () => {
  context = await browser.newContext({
    baseURL: server.baseUrl,
    viewport: { width: 720, height: 480 },
  });
  page = await context.newPage();
});

afterEach(async () => {
  await context?.close();
});

/** Saves what the page shows as `docs/images/<name>.png` and checks a PNG was written. */
async function picture(name: string): Promise<void> {
  const path = `${IMAGES}${name}.png`;
  await page.screenshot({ path });
  expect(readFileSync(path).subarray(0, 8)).toEqual(PNG_SIGNATURE);
}

/** Seconds from now until the session cookie expires. */
async function secondsLeft(): Promise<number> {
  const cookie = await sessionCookie(context);
  expect(cookie).toBeDefined();
  return cookie!.expires - Date.now() / 1000;
}

it('counts views over three reloads, in a Secure, HttpOnly __Host- cookie the browser keeps', async () => {
  await visit(page, '/');
  expect(await page.textContent('#views')).toBe('1');
  for (const expected of ['2', '3', '4']) {
    await page.reload();
    expect(await page.textContent('#views')).toBe(expected);
  }
  // Stored although the page is plain HTTP: browsers keep Secure cookies from localhost.
  expect(await sessionCookie(context)).toMatchObject({
    secure: true,
    httpOnly: true,
    sameSite: 'Lax',
    path: '/',
  });
  await picture('home');
});

it('hides the session cookie from document.cookie', async () => {
  await visit(page, '/');
  // (Strings run in the page: this project compiles without the DOM types.)
  await page.evaluate("document.cookie = 'probe=visible'");
  expect(await sessionCookie(context)).toBeDefined();
  const seen = await page.evaluate<string>('document.cookie');
  expect(seen).toContain('probe=visible');
  expect(seen).not.toContain('session');
});

it('logs in with name and password, shows the profile and the welcome message once', async () => {
  await visit(page, '/profile');
  expect(new URL(page.url()).pathname).toBe('/login');
  await page.fill('input[name=name]', 'ada');
  await picture('login');

  await logIn(page, 'ada');
  expect(await page.textContent('#name')).toBe('ada');
  expect(await page.textContent('.flash')).toBe('Welcome, ada!');
  expect(await page.textContent('#remember-me')).toBe('no');
  await picture('profile');

  await page.reload();
  expect(await page.textContent('#name')).toBe('ada');
  expect(await page.locator('.flash').count()).toBe(0);
});

it.each([
  ['a wrong password', 'ada', 'Analytical-Engine'],
  ['an unknown name', 'mallory', 'analytical-engine'],
])('refuses %s and stays logged out', async (_, name, password) => {
  expect(await submitLogin(page, name, { password })).toBe('/login');
  expect(await page.textContent('.flash')).toBe('Wrong name or password.');
  await visit(page, '/profile');
  expect(new URL(page.url()).pathname).toBe('/login');
});

it('starts a new session at login: what the browser had before does not carry over', async () => {
  await visit(page, '/');
  await visit(page, '/');
  const before = (await sessionCookie(context))!.value;
  await logIn(page, 'grace');
  expect((await sessionCookie(context))!.value).not.toBe(before);
  await visit(page, '/');
  expect(await page.textContent('#views')).toBe('1');
});

it('keeps a remembered user 30 days: chosen once at login, kept by every later cookie', async () => {
  await logIn(page, 'grace', true);
  expect(await page.textContent('#remember-me')).toBe('yes');
  expect(await page.textContent('#lifetime')).toBe('30 days');
  expect(await secondsLeft()).toBeCloseTo(30 * DAY_S, -2);

  // The home page changes the session (its view counter): each visit writes a new cookie.
  const atLogin = (await sessionCookie(context))!.value;
  await visit(page, '/');
  await page.goto('/no-such-page');
  await visit(page, '/');
  expect((await sessionCookie(context))!.value).not.toBe(atLogin);
  expect(await page.textContent('#views')).toBe('2');
  expect(await secondsLeft()).toBeCloseTo(30 * DAY_S, -2);
});

it('gives users who are not remembered the default 24 hours', async () => {
  await logIn(page, 'ada');
  expect(await secondsLeft()).toBeCloseTo(DAY_S, -2);
  await page.goto('/no-such-page');
  await visit(page, '/');
  expect(await secondsLeft()).toBeCloseTo(DAY_S, -2);
});

it('logs out: says so once, and the profile is closed again', async () => {
  await logIn(page, 'grace', true);
  await Promise.all([page.waitForURL(server.baseUrl + '/'), page.click('nav button')]);
  expect(await page.textContent('.flash')).toBe('You have been logged out.');
  expect(await page.locator('nav button').count()).toBe(0);
  // The flash lives in a new session with the default lifetime: "remember me" went with the old.
  expect(await secondsLeft()).toBeCloseTo(DAY_S, -2);

  await visit(page, '/profile');
  expect(new URL(page.url()).pathname).toBe('/login');
  expect(await page.textContent('h1')).toBe('Log in');
  expect(await page.locator('.flash').count()).toBe(0);
});

it('shows no page of the user from the cache when Back is pressed after logout', async () => {
  await logIn(page, 'grace', false);
  await visit(page, '/profile');
  expect(await page.textContent('#name')).toBe('grace');
  await Promise.all([page.waitForURL(server.baseUrl + '/'), page.click('nav button')]);
  await page.goBack();
  expect(new URL(page.url()).pathname).toBe('/login');
  expect(await page.locator('#name').count()).toBe(0);
});

describe('a session cookie corrupted in the jar', () => {
  const corruptions: [string, (value: string) => string][] = [
    ['one character changed', (v) => v.slice(0, 30) + (v[30] === 'A' ? 'B' : 'A') + v.slice(31)],
    ['truncated', (v) => v.slice(0, v.length - 10)],
    ['garbage', () => 'not-a-sealed-session'],
    ['empty', () => ''],
  ];

  it.each(corruptions)('%s: the logged-out view, never an error page', async (_, corrupt) => {
    await logIn(page, 'grace', true);
    const cookie = (await sessionCookie(context))!;
    const value = corrupt(cookie.value);
    await context.addCookies([{ ...cookie, value }]);
    expect((await sessionCookie(context))?.value).toBe(value);

    await visit(page, '/profile');
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(await page.textContent('h1')).toBe('Log in');

    await visit(page, '/');
    expect(await page.textContent('#views')).toBe('1');
    expect(await page.locator('nav button').count()).toBe(0);
  });
});
