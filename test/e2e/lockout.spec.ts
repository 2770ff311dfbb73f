import type { INestApplication } from '@nestjs/common';
import { request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CookieSessionOptionsError, SessionService } from '../../lib/index.js';
import { CookieJar } from '../support/cookies.js';
import { PLATFORMS, createApp } from './support/create-app.js';
import { SessionController } from './support/session.controller.js';

/** What a browser sends besides cookies on an ordinary navigation. */
const BROWSER_HEADERS = {
  'user-agent':
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  accept:
    'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8',
  'accept-language': 'en-GB,en-US;q=0.9,en;q=0.8,fr;q=0.7',
  'accept-encoding': 'gzip, deflate, br, zstd',
  referer: 'http://127.0.0.1/some/page/the/user/came/from?with=a&query=string',
  'sec-ch-ua': '"Chromium";v="124", "Google Chrome";v="124", "Not-A.Brand";v="99"',
  'sec-ch-ua-mobile': '?0',
  'sec-ch-ua-platform': '"Windows"',
  'sec-fetch-dest': 'document',
  'sec-fetch-mode': 'navigate',
  'sec-fetch-site': 'same-origin',
  'upgrade-insecure-requests': '1',
};
/** Cookies other parts of a site commonly set next to the session. */
const OTHER_COOKIES = `_ga=GA1.1.1234567890.1700000000; _ga_ABCDEF1234=GS1.1.1700000000.1.1.1700000100.0.0.0; theme=dark; consent=${'a'.repeat(120)}`;

interface Reply {
  status: number;
  headers: IncomingMessage['headers'];
  body: string;
}

function send(
  port: number,
  method: string,
  path: string,
  headers: OutgoingHttpHeaders,
  body?: string,
) {
  return new Promise<Reply>((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The longest string a session can hold under `sessions`' options (binary search). */
function largestBlob(sessions: SessionService): number {
  let fits = 0;
  let tooLarge = 16_384;
  while (tooLarge - fits > 1) {
    const middle = Math.floor((fits + tooLarge) / 2);
    try {
      sessions.toCookieHeader({ blob: 'x'.repeat(middle) });
      fits = middle;
    } catch {
      tooLarge = middle;
    }
  }
  return fits;
}

describe.each(PLATFORMS)('request header lockout, on %s', (platform) => {
  it('refuses maxChunks 4 at boot: a client would carry more than a Node server accepts', async () => {
    const error = await createApp(platform, {
      controllers: [SessionController],
      session: { maxChunks: 4 },
    }).then(
      (app) => app.close().then(() => undefined),
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CookieSessionOptionsError);
    expect((error as CookieSessionOptionsError).option).toBe('maxChunks');
  });

  it('has a default Node server accept the largest session maxChunks 3 allows, with a browser’s headers', async () => {
    const app: INestApplication = await createApp(platform, {
      controllers: [SessionController],
      session: { maxChunks: 3 },
    });
    try {
      await app.listen(0, '127.0.0.1');
      const { port } = app.getHttpServer().address() as AddressInfo;
      const size = largestBlob(app.get(SessionService));
      expect(size).toBeGreaterThan(8192); // it does span three cookies
      const payload = JSON.stringify({ blob: 'x'.repeat(size) });
      const json = { 'content-type': 'application/json', 'content-length': payload.length };
      const login = await send(port, 'POST', '/set', json, payload);
      expect(login.status).toBe(201);
      const jar = CookieJar.from(OTHER_COOKIES).update(login);
      expect(jar.names()).toHaveLength(4 + 3);

      const read = await send(port, 'GET', '/read', { ...BROWSER_HEADERS, cookie: jar.header() });
      expect(read.status).toBe(200);
      expect(JSON.parse(read.body).data.blob).toHaveLength(size);
    } finally {
      await app.close();
    }
  });
});
