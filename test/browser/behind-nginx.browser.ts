import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { launchChromium } from './support/chromium.js';
import { startAttacker, type RunningServer } from './support/csrf-apps.js';
import { startNginx, type NginxProxy } from './support/nginx.js';
import { startProxiedApp, type RunningApp } from './support/proxied-app.js';

interface Reply {
  status: number;
  setCookies: string[];
  body: string;
}

/** One request from a client that is not a browser (no Sec-Fetch-* headers of its own). */
function send(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Reply> {
  const request = url.startsWith('https:') ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: options.method ?? 'GET', headers: options.headers, rejectUnauthorized: false },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            setCookies: res.headers['set-cookie'] ?? [],
            body,
          }),
        );
      },
    );
    req.setTimeout(10_000, () => req.destroy(new Error(`no answer from ${url}`)));
    req.on('error', reject);
    req.end(options.body);
  });
}

/** The `Cookie` header a browser would send back for these `Set-Cookie` lines. */
function cookieHeader(setCookies: string[]): string {
  return setCookies.map((line) => line.split(';', 1)[0]).join('; ');
}

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

describe.each(['express', 'fastify'] as const)('behind nginx, on %s', (platform) => {
  let app: RunningApp;
  let proxy: NginxProxy;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    app = await startProxiedApp(platform);
    proxy = await startNginx(app.port);
  });

  afterAll(async () => {
    await proxy?.stop();
    await app?.stop();
  });

  beforeEach(async () => {
    // The certificate is a throwaway one made for this run.
    context = await browser.newContext({ ignoreHTTPSErrors: true });
    page = await context.newPage();
  });

  afterEach(async () => {
    await context?.close();
  });

  async function json<T>(response: Response | null): Promise<T> {
    expect(response?.status()).toBe(200);
    return (await response!.json()) as T;
  }

  it('marks the cookie Secure over HTTPS ended at nginx, and the session carries on', async () => {
    await json(await page.goto(`${proxy.httpsUrl}/count`));
    const { views } = await json<{ views: number }>(await page.goto(`${proxy.httpsUrl}/count`));
    expect(views).toBe(2);
    const [cookie] = await context.cookies(proxy.httpsUrl);
    expect(cookie).toMatchObject({ name: 'session', secure: true, httpOnly: true });
  });

  it('leaves the cookie without Secure over plain HTTP through nginx, and the session carries on', async () => {
    await json(await page.goto(`${proxy.httpUrl}/count`));
    const { views } = await json<{ views: number }>(await page.goto(`${proxy.httpUrl}/count`));
    expect(views).toBe(2);
    const [cookie] = await context.cookies(proxy.httpUrl);
    expect(cookie).toMatchObject({ name: 'session', secure: false });
  });

  it("carries a session of three cookies through nginx with the README's buffer sizes", async () => {
    await json(await page.goto(`${proxy.httpsUrl}/fill?bytes=8000`));
    const cookies = await context.cookies(proxy.httpsUrl);
    expect(cookies.map((c) => c.name).sort()).toEqual(['session', 'session.1', 'session.2']);
    for (const cookie of cookies) {
      expect(cookie.name.length + 1 + cookie.value.length).toBeLessThanOrEqual(4096);
    }
    const state = await json<{ bytes: number }>(await page.goto(`${proxy.httpsUrl}/state`));
    expect(state.bytes).toBe(8000);
  });

  it("meets the limits of nginx's default buffers that the README warns of", async () => {
    // A session that still fits one cookie, its Set-Cookie line alone close to 4 KB.
    const single = await send(`${proxy.httpUrl}/fill?bytes=2950`);
    expect(single.status).toBe(200);
    expect(single.setCookies).toHaveLength(1);
    expect(single.setCookies[0].length).toBeGreaterThan(3900);
    expect((await send(`${proxy.defaultsUrl}/fill?bytes=2950`)).status).toBe(502);

    // Three cookies make a Cookie header over 8 KB: nginx refuses it before the app sees it.
    const large = await send(`${proxy.httpUrl}/fill?bytes=8000`);
    expect(large.setCookies).toHaveLength(3);
    const cookie = cookieHeader(large.setCookies);
    expect(cookie.length).toBeGreaterThan(8192);
    expect((await send(`${proxy.defaultsUrl}/state`, { headers: { cookie } })).status).toBe(400);
    const raised = await send(`${proxy.httpUrl}/state`, { headers: { cookie } });
    expect(raised.status).toBe(200);
    expect(JSON.parse(raised.body)).toMatchObject({ bytes: 8000 });
  });

  describe('cross-origin protection', () => {
    let attacker: RunningServer;

    beforeAll(async () => {
      attacker = await startAttacker(proxy.httpsUrl, 'text/plain');
    });

    afterAll(async () => {
      await attacker?.stop();
    });

    async function transfers(): Promise<number> {
      return (await json<{ transfers: number }>(await page.goto(`${proxy.httpsUrl}/state`)))
        .transfers;
    }

    it("lets the app's own form post through nginx and refuses another origin's", async () => {
      await page.goto(proxy.httpsUrl);
      const isTransfer = (r: Response) =>
        r.url() === `${proxy.httpsUrl}/transfer` && r.request().method() === 'POST';
      const [own] = await Promise.all([
        page.waitForResponse(isTransfer),
        page.click('#transfer button'),
      ]);
      expect(own.status()).toBe(201);
      expect(await transfers()).toBe(1);

      const [forged] = await Promise.all([
        page.waitForResponse(isTransfer),
        page.goto(attacker.url),
      ]);
      expect(forged.status()).toBe(403);
      expect(await transfers()).toBe(1);
    });

    it('judges an Origin without Sec-Fetch-Site by the host nginx forwards', async () => {
      // nginx passes its upstream's address as Host; the browser's host is in X-Forwarded-Host.
      const post = (origin: string) =>
        send(`${proxy.httpsUrl}/transfer`, {
          method: 'POST',
          headers: { origin, 'content-type': 'text/plain' },
          body: 'amount=10',
        });
      expect((await post(proxy.httpsUrl)).status).toBe(201);
      expect((await post(attacker.url)).status).toBe(403);
      expect((await post(`https://127.0.0.1:${app.port}`)).status).toBe(403);
    });
  });
});
