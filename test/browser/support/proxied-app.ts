import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import {
  Controller,
  Get,
  Header,
  Module,
  ParseIntPipe,
  Post,
  Query,
  type INestApplication,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { CookieSessionModule, Session } from '../../../lib/index.js';

type State = Session<{ views?: number; transfers?: number; blob?: string }>;

// text/plain: a content type both platforms parse without plugins (Fastify has no form parser).
const HOME = `<!doctype html>
<html><head><meta charset="utf-8"><title>Behind a proxy</title></head>
<body>
  <form id="transfer" method="post" action="/transfer" enctype="text/plain">
    <input type="hidden" name="amount" value="10">
    <button type="submit">Transfer</button>
  </form>
</body></html>`;

@Controller()
class ProxiedController {
  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  home() {
    return HOME;
  }

  @Get('count')
  count(@Session() session: State) {
    session.views = (session.views ?? 0) + 1;
    return { views: session.views };
  }

  /** Stores `bytes` characters that do not compress, so the seal grows with them. */
  @Get('fill')
  fill(@Session() session: State, @Query('bytes', ParseIntPipe) bytes: number) {
    session.blob = randomBytes(bytes).toString('base64url').slice(0, bytes);
    return { bytes: session.blob.length };
  }

  @Get('state')
  state(@Session() session: State) {
    return { transfers: session.transfers ?? 0, bytes: session.blob?.length ?? 0 };
  }

  @Post('transfer')
  transfer(@Session() session: State) {
    session.transfers = (session.transfers ?? 0) + 1;
    return { transfers: session.transfers };
  }
}

@Module({
  imports: [
    // The set-up the README gives for an app behind a TLS-terminating proxy.
    CookieSessionModule.forRoot({
      secret: 'a-proxied-app-test-secret-long-enough-0123456789',
      secure: 'auto',
      secureProxy: true,
      maxChunks: 3,
    }),
  ],
  controllers: [ProxiedController],
})
class ProxiedModule {}

export interface RunningApp {
  readonly port: number;
  stop(): Promise<void>;
}

/** The app on 127.0.0.1, on Express or Fastify. */
export async function startProxiedApp(platform: 'express' | 'fastify'): Promise<RunningApp> {
  const adapter = platform === 'express' ? new ExpressAdapter() : new FastifyAdapter();
  const app: INestApplication = await NestFactory.create(ProxiedModule, adapter, {
    logger: false,
  });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { port, stop: () => app.close() };
}
