import 'reflect-metadata';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Controller, Get, Header, Module, Post, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { CookieSessionModule, Session } from '../../../lib/index.js';

type Bank = Session<{ transfers?: number }>;

/** Transfers the app carried out, in order, with the session counter after each. */
const handled: number[] = [];

const HOME = `<!doctype html>
<html><head><meta charset="utf-8"><title>Bank</title></head>
<body>
  <form id="transfer" method="post" action="/transfer">
    <input type="hidden" name="amount" value="10">
    <button type="submit">Transfer</button>
  </form>
</body></html>`;

@Controller()
class BankController {
  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  home() {
    return HOME;
  }

  @Get('state')
  state(@Session() session: Bank) {
    return { transfers: session.transfers ?? 0 };
  }

  @Post('transfer')
  transfer(@Session() session: Bank) {
    session.transfers = (session.transfers ?? 0) + 1;
    handled.push(session.transfers);
    return { transfers: session.transfers };
  }
}

@Module({
  imports: [
    // Plain HTTP on 127.0.0.1: the cookie must not be Secure for the browser to keep it.
    CookieSessionModule.forRoot({
      secret: 'a-browser-csrf-test-secret-long-enough-0123456789',
      secure: false,
    }),
  ],
  controllers: [BankController],
})
class BankModule {}

function urlOf(server: Server): string {
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export interface RunningServer {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  stop(): Promise<void>;
}

export interface RunningBank extends RunningServer {
  /** The session counter after each transfer the app carried out. */
  readonly handled: readonly number[];
}

/** The app under attack: a Nest app on Express with the module's default protection. */
export async function startBank(): Promise<RunningBank> {
  handled.length = 0;
  const app: INestApplication = await NestFactory.create(BankModule, new ExpressAdapter(), {
    logger: false,
  });
  await app.listen(0, '127.0.0.1');
  return { url: urlOf(app.getHttpServer()), handled, stop: () => app.close() };
}

/**
 * Another origin (same host, another port, so the same site: the app's SameSite=Lax cookie
 * still rides along) whose page submits a form to the app as soon as it loads.
 */
export async function startAttacker(
  target: string,
  enctype = 'application/x-www-form-urlencoded',
): Promise<RunningServer> {
  const page = `<!doctype html>
<html><head><meta charset="utf-8"><title>Win a prize</title></head>
<body>
  <form id="attack" method="post" action="${target}/transfer" enctype="${enctype}">
    <input type="hidden" name="amount" value="1000">
  </form>
  <script>document.getElementById('attack').submit();</script>
</body></html>`;
  const server = createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(page);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    url: urlOf(server),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
