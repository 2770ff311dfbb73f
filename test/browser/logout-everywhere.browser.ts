import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from './support/chromium.js';
import {
  logIn,
  sessionCookie,
  startSample,
  visit,
  type SampleServer,
} from './support/sample-server.js';

let server: SampleServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  server = await startSample({ SESSION_SECRET: 'a-browser-test-secret-that-is-long-enough-42' });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()));
});

/** Another browser (its own cookie jar) with one page open. */
async function newBrowser(): Promise<Page> {
  const context = await browser.newContext({ baseURL: server.baseUrl });
  contexts.push(context);
  return context.newPage();
}

/** Who the profile page says is logged in, or `null` when it sends the browser to log in. */
async function profileOf(page: Page): Promise<string | null> {
  await visit(page, '/profile');
  if (new URL(page.url()).pathname === '/login') return null;
  return page.textContent('#name');
}

async function logOutEverywhere(page: Page): Promise<void> {
  await visit(page, '/profile');
  await Promise.all([page.waitForNavigation(), page.click('#logout-everywhere')]);
  expect(new URL(page.url()).pathname).toBe('/profile');
  expect(await page.textContent('.flash')).toBe('Your other browsers are logged out.');
}

it("logs out the user's other browsers on their next request, and keeps this one", async () => {
  const laptop = await newBrowser();
  const phone = await newBrowser();
  await logIn(laptop, 'ada');
  await logIn(phone, 'ada');
  expect(await profileOf(phone)).toBe('ada');

  await logOutEverywhere(laptop);

  // The phone's next request: its session is refused and its cookie cleared.
  expect(await profileOf(phone)).toBeNull();
  expect(await sessionCookie(phone.context())).toBeUndefined();
  // The laptop took the new stamp: it stays logged in, request after request.
  expect(await profileOf(laptop)).toBe('ada');
  await visit(laptop, '/');
  expect(await profileOf(laptop)).toBe('ada');
});

it('keeps a remembered browser logged in across it, and its 30 days', async () => {
  const laptop = await newBrowser();
  await logIn(laptop, 'grace', true);
  await logOutEverywhere(laptop);
  expect(await profileOf(laptop)).toBe('grace');
  expect(await laptop.textContent('#remember-me')).toBe('yes');
  const cookie = await sessionCookie(laptop.context());
  expect(cookie!.expires - Date.now() / 1000).toBeCloseTo(30 * 24 * 60 * 60, -2);
});

it('leaves the sessions of other users alone', async () => {
  const ada = await newBrowser();
  const grace = await newBrowser();
  await logIn(ada, 'ada');
  await logIn(grace, 'grace');

  await logOutEverywhere(ada);

  expect(await profileOf(grace)).toBe('grace');
  expect(await profileOf(ada)).toBe('ada');
});

it('lets a browser that was logged out log in again', async () => {
  const laptop = await newBrowser();
  const phone = await newBrowser();
  await logIn(laptop, 'ada');
  await logIn(phone, 'ada');
  await logOutEverywhere(laptop);
  expect(await profileOf(phone)).toBeNull();

  await logIn(phone, 'ada');
  expect(await profileOf(phone)).toBe('ada');
  expect(await profileOf(laptop)).toBe('ada');
});

it('refuses a copy of the old cookie kept after the logout everywhere', async () => {
  const laptop = await newBrowser();
  const phone = await newBrowser();
  await logIn(laptop, 'ada');
  await logIn(phone, 'ada');
  const stolen = (await sessionCookie(phone.context()))!;

  await logOutEverywhere(laptop);

  const thief = await newBrowser();
  await thief.context().addCookies([stolen]);
  expect(await profileOf(thief)).toBeNull();
});
