import type { IncomingMessage } from 'node:http';
import { Body, Controller, Post, type INestApplication } from '@nestjs/common';
import { WsAdapter } from '@nestjs/platform-ws';
import {
  ConnectedSocket,
  SubscribeMessage,
  WebSocketGateway,
  type OnGatewayConnection,
} from '@nestjs/websockets';
import request from 'supertest';
import { WebSocket } from 'ws';
import { Session, SessionCodec, SessionService } from '../../lib/index.js';
import { TestClock } from '../e2e/support/clock.js';
import { PLATFORMS, createApp } from '../e2e/support/create-app.js';
import { cookieHeader } from '../e2e/support/cookies.js';
import { Revocations } from '../e2e/support/revocations.js';

interface AppSession {
  user?: string;
}

@Controller()
class AuthController {
  @Post('login')
  login(@Session() session: Session<AppSession>, @Body('name') name: string) {
    session.user = name;
    return { user: name };
  }

  @Post('logout')
  logout(@Session() session: Session<AppSession>) {
    session.user = undefined;
    return { user: null };
  }
}

/** Open to all: the session of the upgrade request says who is talking, or no one. */
@WebSocketGateway({ path: '/ws' })
class ChatGateway implements OnGatewayConnection {
  private readonly users = new WeakMap<WebSocket, string>();

  constructor(private readonly sessions: SessionService) {}

  async handleConnection(client: WebSocket, request: IncomingMessage) {
    let session: AppSession | undefined;
    try {
      session = await this.sessions.fromCookieHeaderValidated<AppSession>(
        request.headers.cookie,
        request,
      );
    } catch {
      // validate could not answer (its user store is down): refuse rather than guess who this is.
      return client.close(1011, 'Try again later');
    }
    if (session?.user) this.users.set(client, session.user);
  }

  @SubscribeMessage('whoami')
  whoami(@ConnectedSocket() client: WebSocket) {
    return { event: 'whoami', data: { user: this.users.get(client) ?? null } };
  }
}

/** Members only: a connection without a valid session is closed with 4401. */
@WebSocketGateway({ path: '/ws/members' })
class MembersGateway implements OnGatewayConnection {
  private readonly users = new WeakMap<WebSocket, string>();

  constructor(private readonly sessions: SessionService) {}

  async handleConnection(client: WebSocket, request: IncomingMessage) {
    let user: string | undefined;
    try {
      const session = await this.sessions.fromCookieHeaderValidated<AppSession>(
        request.headers.cookie,
        request,
      );
      user = session?.user;
    } catch {
      // validate could not answer (its user store is down): refuse, never let an unchecked user in.
      return client.close(1011, 'Try again later');
    }
    if (!user) return client.close(4401, 'Log in first');
    this.users.set(client, user);
  }

  @SubscribeMessage('hello')
  hello(@ConnectedSocket() client: WebSocket) {
    const user = this.users.get(client);
    // Nest does not wait for handleConnection: a message sent while validate runs finds no user.
    if (!user) return { event: 'error', data: 'Not logged in (yet)' };
    return { event: 'hello', data: `Hello, ${user}` };
  }
}

/** Message handlers run outside any HTTP request: SessionService.get() must refuse, not guess. */
@WebSocketGateway({ path: '/ws/probe' })
class ProbeGateway {
  constructor(private readonly sessions: SessionService) {}

  @SubscribeMessage('get')
  get() {
    try {
      return { event: 'get', data: { session: this.sessions.get() } };
    } catch (error) {
      return { event: 'get', data: { error: (error as Error).message } };
    }
  }
}

/** Sends `{ event }` once the socket is open and resolves with the next message. */
async function ask(socket: WebSocket, event: string): Promise<unknown> {
  if (socket.readyState === WebSocket.CONNECTING) {
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  }
  const reply = new Promise<unknown>((resolve, reject) => {
    socket.once('message', (data) => resolve(JSON.parse(String(data))));
    socket.once('close', (code) => reject(new Error(`closed with ${code}`)));
  });
  socket.send(JSON.stringify({ event, data: {} }));
  return reply;
}

function closed(socket: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) =>
    socket.once('close', (code, reason) => resolve({ code, reason: String(reason) })),
  );
}

describe.each(PLATFORMS)('WebSocket gateways on %s read the handshake session', (platform) => {
  let app: INestApplication;
  let base: string;
  let sessions: SessionService;
  const sockets: WebSocket[] = [];

  /** A `ws` client on `path`, sending `cookie` (if any) and `headers` with the upgrade request. */
  function connect(path: string, cookie?: string, headers: Record<string, string> = {}): WebSocket {
    const all = cookie ? { ...headers, cookie } : headers;
    const socket = new WebSocket(`ws://${base}${path}`, { headers: all });
    sockets.push(socket);
    return socket;
  }

  beforeAll(async () => {
    app = await createApp(platform, {
      controllers: [AuthController],
      providers: [ChatGateway, MembersGateway, ProbeGateway],
      configure: (app) => app.useWebSocketAdapter(new WsAdapter(app)),
    });
    await app.listen(0, '127.0.0.1');
    base = `127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
    sessions = app.get(SessionService);
  });

  afterAll(async () => {
    for (const socket of sockets) socket.terminate();
    await app?.close();
  });

  it('knows the user who logged in over HTTP', async () => {
    const login = await request(`http://${base}`).post('/login').send({ name: 'ada' });
    expect(login.body).toEqual({ user: 'ada' });
    const cookie = cookieHeader(login);

    expect(await ask(connect('/ws', cookie), 'whoami')).toEqual({
      event: 'whoami',
      data: { user: 'ada' },
    });
    expect(await ask(connect('/ws/members', cookie), 'hello')).toEqual({
      event: 'hello',
      data: 'Hello, ada',
    });
  });

  it('knows the user of a cookie made by SessionService.toCookieHeader()', async () => {
    const cookie = sessions.toCookieHeader({ user: 'bob' });
    expect(await ask(connect('/ws', cookie), 'whoami')).toEqual({
      event: 'whoami',
      data: { user: 'bob' },
    });
  });

  it.each<[string, Record<string, string>]>([
    ['a page of another site', { origin: 'https://evil.test', 'sec-fetch-site': 'cross-site' }],
    [
      'a page of a sibling subdomain',
      { origin: 'https://evil.test', 'sec-fetch-site': 'same-site' },
    ],
    ['an older browser on another origin', { origin: 'https://evil.test' }],
  ])(
    'gives no session to a handshake from %s (cross-site WebSocket hijacking)',
    async (_, headers) => {
      const cookie = sessions.toCookieHeader({ user: 'victim' });
      expect(await ask(connect('/ws', cookie, headers), 'whoami')).toEqual({
        event: 'whoami',
        data: { user: null },
      });
      expect(await closed(connect('/ws/members', cookie, headers))).toEqual({
        code: 4401,
        reason: 'Log in first',
      });
    },
  );

  it("keeps the session of a handshake from the app's own pages", async () => {
    const cookie = sessions.toCookieHeader({ user: 'carol' });
    const sameOrigin: Record<string, string>[] = [
      { origin: `http://${base}`, 'sec-fetch-site': 'same-origin' },
      { origin: `http://${base}` },
    ];
    for (const headers of sameOrigin) {
      expect(await ask(connect('/ws', cookie, headers), 'whoami')).toEqual({
        event: 'whoami',
        data: { user: 'carol' },
      });
    }
  });

  it('keeps each connection to its own session', async () => {
    const names = ['u1', 'u2', 'u3', 'u4', 'u5'];
    const answers = await Promise.all(
      names.map((user) => ask(connect('/ws', sessions.toCookieHeader({ user })), 'whoami')),
    );
    expect(answers).toEqual(names.map((user) => ({ event: 'whoami', data: { user } })));
  });

  it.each([
    ['no cookie', undefined],
    ['a forged cookie', '__Host-session=forged-value'],
    ['a cookie of another name', 'other=' + 'x'.repeat(40)],
  ])('treats a connection with %s as anonymous', async (_, cookie) => {
    expect(await ask(connect('/ws', cookie), 'whoami')).toEqual({
      event: 'whoami',
      data: { user: null },
    });
  });

  it('treats a cookie sealed under another secret as anonymous', async () => {
    const other = new SessionCodec({ secret: 'another-secret-that-is-long-enough-0123456789' });
    const cookie = `__Host-session=${other.seal({ user: 'mallory' })}`;
    expect(await ask(connect('/ws', cookie), 'whoami')).toEqual({
      event: 'whoami',
      data: { user: null },
    });
  });

  it('treats an expired cookie as anonymous', async () => {
    const clock = new TestClock().install();
    let cookie: string;
    try {
      clock.advance(-(24 * 60 * 60 * 1000 + 60_000)); // sealed a day (the default maxAge) ago
      cookie = sessions.toCookieHeader({ user: 'old' });
    } finally {
      clock.uninstall();
    }
    expect(await ask(connect('/ws', cookie), 'whoami')).toEqual({
      event: 'whoami',
      data: { user: null },
    });
  });

  it('treats a tampered cookie as anonymous', async () => {
    const header = sessions.toCookieHeader({ user: 'eve' });
    const tampered = header.slice(0, -1) + (header.at(-1) === 'A' ? 'B' : 'A');
    expect(await ask(connect('/ws', tampered), 'whoami')).toEqual({
      event: 'whoami',
      data: { user: null },
    });
  });

  it('closes members-only connections without a valid session (4401)', async () => {
    expect(await closed(connect('/ws/members'))).toEqual({ code: 4401, reason: 'Log in first' });
    const tampered = sessions.toCookieHeader({ user: 'eve' }).replace('=', '=x');
    expect(await closed(connect('/ws/members', tampered))).toEqual({
      code: 4401,
      reason: 'Log in first',
    });
  });

  it('sees the session as it was at the handshake: after logout, a new connection is anonymous', async () => {
    const login = await request(`http://${base}`).post('/login').send({ name: 'carol' });
    const cookie = cookieHeader(login);
    const open = connect('/ws', cookie);
    expect(await ask(open, 'whoami')).toEqual({ event: 'whoami', data: { user: 'carol' } });

    const logout = await request(`http://${base}`).post('/logout').set('Cookie', cookie);
    const after = cookieHeader(logout, cookie);
    expect(await ask(connect('/ws', after), 'whoami')).toEqual({
      event: 'whoami',
      data: { user: null },
    });
    // The socket opened before the logout keeps the session it was opened with.
    expect(await ask(open, 'whoami')).toEqual({ event: 'whoami', data: { user: 'carol' } });
  });

  it('SessionService.get() in a message handler throws instead of returning some session', async () => {
    const cookie = sessions.toCookieHeader({ user: 'dan' });
    await request(`http://${base}`).post('/login').set('Cookie', cookie).send({ name: 'dan' });
    expect(await ask(connect('/ws/probe', cookie), 'get')).toEqual({
      event: 'get',
      data: { error: expect.stringContaining('fromCookieHeaderValidated()') },
    });
  });
});

describe.each(PLATFORMS)('WebSocket gateways on %s run validate on the handshake', (platform) => {
  const revocations = new Revocations();
  let app: INestApplication;
  let base: string;
  let sessions: SessionService;
  const sockets: WebSocket[] = [];

  function connect(path: string, cookie: string): WebSocket {
    const socket = new WebSocket(`ws://${base}${path}`, { headers: { cookie } });
    sockets.push(socket);
    return socket;
  }

  beforeAll(async () => {
    app = await createApp(platform, {
      controllers: [AuthController],
      providers: [ChatGateway, MembersGateway],
      session: { validate: (session, request) => revocations.check(session, request) },
      configure: (app) => app.useWebSocketAdapter(new WsAdapter(app)),
    });
    await app.listen(0, '127.0.0.1');
    base = `127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
    sessions = app.get(SessionService);
  });

  afterEach(() => {
    revocations.revoked.clear();
    revocations.requests.length = 0;
    revocations.failing = false;
  });

  afterAll(async () => {
    for (const socket of sockets) socket.terminate();
    await app?.close();
  });

  it('accepts a user validate keeps, and gives validate the upgrade request', async () => {
    const cookie = sessions.toCookieHeader({ user: 'ada' });
    expect(await ask(connect('/ws/members', cookie), 'hello')).toEqual({
      event: 'hello',
      data: 'Hello, ada',
    });
    expect(revocations.requests).toEqual([
      expect.objectContaining({ url: '/ws/members', headers: expect.objectContaining({ cookie }) }),
    ]);
  });

  it('refuses a revoked user (4401), or treats them as anonymous where anyone may connect', async () => {
    const login = await request(`http://${base}`).post('/login').send({ name: 'mallory' });
    const cookie = cookieHeader(login);
    revocations.revoked.add('mallory');
    expect(await closed(connect('/ws/members', cookie))).toEqual({
      code: 4401,
      reason: 'Log in first',
    });
    expect(await ask(connect('/ws', cookie), 'whoami')).toEqual({
      event: 'whoami',
      data: { user: null },
    });
  });

  it('refuses the handshake (1011) when validate throws, never letting the user in unchecked', async () => {
    revocations.failing = true;
    const cookie = sessions.toCookieHeader({ user: 'bob' });
    for (const path of ['/ws/members', '/ws']) {
      expect(await closed(connect(path, cookie))).toEqual({
        code: 1011,
        reason: 'Try again later',
      });
    }
  });
});

describe('the handshake origin check follows the csrf option', () => {
  const fromSpa = {
    headers: { origin: 'https://spa.example.test', 'sec-fetch-site': 'same-site' },
  };

  async function userSeenWith(csrf: unknown): Promise<unknown> {
    const app = await createApp('express', { session: { csrf } as never });
    try {
      const sessions = app.get(SessionService);
      const cookie = sessions.toCookieHeader({ user: 'dora' });
      return (await sessions.fromCookieHeaderValidated<AppSession>(cookie, fromSpa))?.user;
    } finally {
      await app.close();
    }
  }

  it('lets a handshake from a trusted origin in, and refuses the same one by default', async () => {
    expect(await userSeenWith({ trustedOrigins: ['https://spa.example.test'] })).toBe('dora');
    expect(await userSeenWith(undefined)).toBeUndefined();
  });

  it('checks no origin with csrf: false', async () => {
    expect(await userSeenWith(false)).toBe('dora');
  });
});
