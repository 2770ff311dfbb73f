import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Controller, Get, Header, Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { WsAdapter } from '@nestjs/platform-ws';
import { WebSocketGateway, type OnGatewayConnection } from '@nestjs/websockets';
import type { Browser, BrowserContext } from 'playwright-core';
import type { WebSocket } from 'ws';
import { CookieSessionModule, Session, SessionService } from '../../lib/index.js';
import { launchChromium } from './support/chromium.js';

/**
 * Cross-site WebSocket hijacking: a page on a sibling subdomain (evil.site.localhost) opens a
 * WebSocket to the app (app.site.localhost). The two are the same site, so the browser sends the
 * visitor's session cookie with the handshake; a gateway that trusted it would talk to the
 * attacker's page as the visitor. The handshake's Origin gives it away, and the module's check
 * gives it no session. The app's own page still gets its user.
 *
 * Chromium resolves every `*.localhost` name to the loopback address.
 */
type Account = { user?: string };

/** A page that opens the app's WebSocket and shows who the gateway says it is talking to. */
const probePage = (wsUrl: string) => `<!doctype html><title>probe</title><script>
  const socket = new WebSocket(${JSON.stringify(wsUrl)});
  socket.onmessage = (event) => { document.title = 'user:' + event.data; socket.close(); };
  socket.onerror = () => { document.title = 'error'; };
</script>`;

@WebSocketGateway({ path: '/ws' })
class WhoGateway implements OnGatewayConnection {
  constructor(private readonly sessions: SessionService) {}

  async handleConnection(client: WebSocket, request: IncomingMessage) {
    const session = await this.sessions.fromCookieHeaderValidated<Account>(
      request.headers.cookie,
      request,
    );
    client.send(session?.user ?? 'nobody');
  }
}

let wsUrl = '';

@Controller()
class AccountController {
  @Get('login')
  login(@Session() session: Session<Account>) {
    session.user = 'victim';
    return { user: session.user };
  }

  @Get('probe')
  @Header('content-type', 'text/html')
  probe() {
    return probePage(wsUrl);
  }
}

describe('a WebSocket opened by a page of a sibling subdomain (Chromium)', () => {
  let browser: Browser;
  let app: INestApplication;
  let evil: Server;
  let appOrigin: string;
  let evilOrigin: string;
  let context: BrowserContext;

  beforeAll(async () => {
    @Module({
      imports: [
        CookieSessionModule.forRoot({
          secret: randomBytes(32).toString('base64url'),
          name: 'sid',
          secure: false,
        }),
      ],
      controllers: [AccountController],
      providers: [WhoGateway],
    })
    class AppModule {}
    app = await NestFactory.create(AppModule, new ExpressAdapter(), { logger: false });
    app.useWebSocketAdapter(new WsAdapter(app));
    await app.listen(0, '127.0.0.1');
    const appPort = (app.getHttpServer().address() as AddressInfo).port;
    appOrigin = `http://app.site.localhost:${appPort}`;
    wsUrl = `ws://app.site.localhost:${appPort}/ws`;
    evil = createServer((_req, res) => {
      res.setHeader('content-type', 'text/html');
      res.end(probePage(wsUrl));
    });
    await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
    evilOrigin = `http://evil.site.localhost:${(evil.address() as AddressInfo).port}`;
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => evil?.close(resolve));
    await app?.close();
  });
  beforeEach(async () => {
    context = await browser.newContext();
  });
  afterEach(() => context.close());

  /** The user the gateway saw for a WebSocket that a page at `url` opened. */
  async function userSeenFrom(url: string): Promise<string> {
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForFunction("document.title !== 'probe'", undefined, { timeout: 10_000 });
    return page.title();
  }

  it("gives the app's own page its user, and the sibling subdomain's page no one", async () => {
    const page = await context.newPage();
    await page.goto(`${appOrigin}/login`);
    expect(await userSeenFrom(`${appOrigin}/probe`)).toBe('user:victim');
    expect(await userSeenFrom(`${evilOrigin}/`)).toBe('user:nobody');
  });
});
