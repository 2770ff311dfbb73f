import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { launchChromium } from './support/chromium.js';
import {
  startAttacker,
  startBank,
  type RunningBank,
  type RunningServer,
} from './support/csrf-apps.js';

let bank: RunningBank;
let attacker: RunningServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  bank = await startBank();
  attacker = await startAttacker(bank.url);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await attacker?.stop();
  await bank?.stop();
});

beforeEach(async () => {
  context = await browser.newContext();
  page = await context.newPage();
});

afterEach(async () => {
  await context?.close();
});

/** The response to the browser's POST to the app's /transfer. */
function transferResponse(): Promise<Response> {
  return page.waitForResponse(
    (response) =>
      response.url() === `${bank.url}/transfer` && response.request().method() === 'POST',
  );
}

async function transfersInSession(): Promise<number> {
  const response = await page.goto(`${bank.url}/state`);
  expect(response?.status()).toBe(200);
  return ((await response!.json()) as { transfers: number }).transfers;
}

/** The app's own form, submitted from its own page. */
async function transferWithForm(): Promise<Response> {
  await page.goto(bank.url);
  const [response] = await Promise.all([transferResponse(), page.click('#transfer button')]);
  return response;
}

it("lets the app's own form post", async () => {
  const response = await transferWithForm();
  expect(response.status()).toBe(201);
  expect(await response.json()).toEqual({ transfers: 1 });
  expect(await response.request().headerValue('sec-fetch-site')).toBe('same-origin');
  expect(await transfersInSession()).toBe(1);
});

it("lets the app's own fetch() post", async () => {
  await page.goto(bank.url);
  // (A string runs in the page: this project compiles without the DOM types.)
  const result = await page.evaluate<{ status: number; body: unknown }>(
    `fetch('/transfer', { method: 'POST' }).then(async (r) => ({ status: r.status, body: await r.json() }))`,
  );
  expect(result).toEqual({ status: 201, body: { transfers: 1 } });
  expect(await transfersInSession()).toBe(1);
});

it("refuses another origin's form, though the browser sends the session cookie with it", async () => {
  await transferWithForm();
  const before = [...bank.handled];

  const [response] = await Promise.all([transferResponse(), page.goto(attacker.url)]);
  // Another port of the same host is the same site: SameSite=Lax alone would let it through.
  expect(await response.request().headerValue('cookie')).toMatch(/(^|; )session=/);
  expect(await response.request().headerValue('sec-fetch-site')).toBe('same-site');
  expect(response.status()).toBe(403);
  expect(await response.json()).toMatchObject({
    statusCode: 403,
    message: expect.stringContaining('Sec-Fetch-Site: same-site'),
  });

  expect(bank.handled).toEqual(before);
  expect(await transfersInSession()).toBe(1);
});
