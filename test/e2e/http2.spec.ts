import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { Controller, Get, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { CookieSessionModule, Session, SessionService } from '../../lib/index.js';
import { SECRET } from './support/create-app.js';

interface Answer {
  status: number;
  setCookies: string[];
  body: string;
}

@Controller()
class LoginController {
  @Post('login')
  login(@Session() session: Session) {
    session.user = 'alice';
    return { ok: true };
  }

  @Get('who')
  who(@Session() session: Session) {
    return { user: session.user ?? null };
  }

  /** A timer started during the request reads the session once the response has closed. */
  @Get('later')
  later() {
    laterRead = new Promise((resolve) => {
      const read = () => resolve(this.sessions.get().user);
      setTimeout(read, 50);
    });
    return { ok: true };
  }

  constructor(private readonly sessions: SessionService) {}
}

let laterRead: Promise<unknown> = Promise.resolve();

/**
 * HTTP/2 requests name their host in the `:authority` pseudo-header and usually carry no Host
 * header. Browsers without `Sec-Fetch-Site` are judged by Origin against that host.
 */
describe('Fastify over HTTP/2', () => {
  let app: NestFastifyApplication;
  let client: http2.ClientHttp2Session;
  let origin: string;

  function send(method: string, path: string, headers: http2.OutgoingHttpHeaders = {}) {
    return new Promise<Answer>((resolve, reject) => {
      const stream = client.request({ ':method': method, ':path': path, ...headers });
      let status = 0;
      let setCookies: string[] = [];
      let body = '';
      stream.on('response', (h) => {
        status = Number(h[':status']);
        setCookies = ([] as string[]).concat(h['set-cookie'] ?? []);
      });
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => (body += chunk));
      stream.on('end', () => resolve({ status, setCookies, body }));
      stream.on('error', reject);
      stream.end();
    });
  }

  beforeAll(async () => {
    @Module({
      imports: [CookieSessionModule.forRoot({ secret: SECRET, secure: false, name: 'session' })],
      controllers: [LoginController],
    })
    class AppModule {}
    app = await NestFactory.create<NestFastifyApplication>(
      AppModule,
      new FastifyAdapter({ http2: true }),
      { logger: false },
    );
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as AddressInfo;
    origin = `http://127.0.0.1:${port}`;
    client = http2.connect(origin);
  });
  afterAll(async () => {
    client.close();
    await app.close();
  });

  it('lets a same-origin login through on Origin alone, and keeps its session', async () => {
    const login = await send('POST', '/login', { origin });
    expect(login.status).toBe(201);
    expect(login.setCookies).toHaveLength(1);
    const cookie = login.setCookies[0].split(';', 1)[0];
    const who = await send('GET', '/who', { cookie });
    expect(JSON.parse(who.body)).toEqual({ user: 'alice' });
  });

  it("gives a timer that outlived its request an empty session, not that request's", async () => {
    const login = await send('POST', '/login', { origin });
    const cookie = login.setCookies[0].split(';', 1)[0];
    expect((await send('GET', '/later', { cookie })).status).toBe(200);
    expect(await laterRead).toBeUndefined();
  });

  it('refuses a login from another origin', async () => {
    const refused = await send('POST', '/login', { origin: 'http://evil.test' });
    expect([refused.status, refused.setCookies]).toEqual([403, []]);
  });
});
