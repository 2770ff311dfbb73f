import http, { type ServerResponse } from 'node:http';
import {
  Controller,
  Get,
  Injectable,
  Req,
  Res,
  type INestApplication,
  type OnModuleDestroy,
} from '@nestjs/common';
import request from 'supertest';
import { SessionService } from '../../lib/index.js';
import { PLATFORMS, createApp } from './support/create-app.js';
import { moduleWarnings, recordingLogger } from './support/recording-logger.js';

/** What one tick of the job read: through SessionService, and through the request it kept. */
interface Tick {
  viaService: unknown;
  viaRequest: unknown;
}

/**
 * A job started on first use: the request that happens to start it lends its async context to
 * every tick, long after that request was answered.
 */
@Injectable()
class ReminderJob implements OnModuleDestroy {
  private timer?: NodeJS.Timeout;
  private starter?: { session: { user?: unknown } };
  private readonly waiting: ((tick: Tick) => void)[] = [];

  constructor(private readonly sessions: SessionService) {}

  startOnce(req: { session: { user?: unknown } }): void {
    this.starter ??= req;
    this.timer ??= setInterval(() => this.tick(), 5);
  }

  /** What the next tick reads. */
  nextTick(): Promise<Tick> {
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  private tick(): void {
    if (this.waiting.length === 0) return;
    let viaService: unknown;
    try {
      const session = this.sessions.get();
      viaService = session.user;
      // Lost, and said once with the read above: not once more as a change after the headers.
      session.lastReminder = Date.now();
      this.sessions.destroy();
    } catch (error) {
      viaService = error;
    }
    const tick = { viaService, viaRequest: this.starter?.session.user };
    for (const resolve of this.waiting.splice(0)) resolve(tick);
  }
}

@Controller()
class HomeController {
  /** What the session read once the response had finished, by the request's own code. */
  readonly readAtFinish: unknown[] = [];

  constructor(
    private readonly sessions: SessionService,
    private readonly job: ReminderJob,
  ) {}

  @Get('home')
  home(@Req() req: { session: { user?: unknown } }) {
    this.job.startOnce(req);
    return { user: this.sessions.get().user ?? null };
  }

  /** Resolved by the test once the client went away; the handler then reads its session. */
  static clientGone: Promise<void> = Promise.resolve();
  static entered: () => void = () => {};
  readonly readAfterAbort: unknown[] = [];

  @Get('export')
  async export() {
    HomeController.entered();
    await HomeController.clientGone;
    this.readAfterAbort.push(this.sessions.get().user);
    return { done: true };
  }

  @Get('audit')
  audit(@Res({ passthrough: true }) res: { raw?: ServerResponse } & ServerResponse) {
    (res.raw ?? res).on('finish', () => this.readAtFinish.push(this.sessions.get().user));
    return { ok: true };
  }
}

describe.each(PLATFORMS)('SessionService after its request was answered, on %s', (platform) => {
  let app: INestApplication;
  const logger = recordingLogger();
  const warnings = () => moduleWarnings(logger);
  beforeAll(async () => {
    app = await createApp(platform, {
      controllers: [HomeController],
      providers: [ReminderJob],
      configure: (a) => a.useLogger(logger),
    });
  });
  afterAll(() => app.close());

  it("gives a timer a request started an empty session and a warning, never that request's session", async () => {
    const sessions = app.get(SessionService);
    const job = app.get(ReminderJob);
    const home = (user: string) =>
      request(app.getHttpServer()).get('/home').set('Cookie', sessions.toCookieHeader({ user }));

    expect((await home('alice')).body).toEqual({ user: 'alice' });
    const { viaService, viaRequest } = await job.nextTick();
    expect(viaService).toBeUndefined();
    expect(warnings()).toEqual([
      expect.stringMatching(
        /^SessionService on "GET \/home" was used after that request had been answered: it gives an empty session/,
      ),
    ]);
    // The request's own accessor is explicit about whose session it reads: it keeps working.
    expect(viaRequest).toBe('alice');

    // Requests after it read their own sessions while the job runs.
    expect((await home('bob')).body).toEqual({ user: 'bob' });
    expect((await job.nextTick()).viaService).toBeUndefined();
  });

  it('still gives a handler its session when its client went away before the answer', async () => {
    const sessions = app.get(SessionService);
    const controller = app.get(HomeController);
    let clientGone!: () => void;
    HomeController.clientGone = new Promise((resolve) => (clientGone = resolve));
    const entered = new Promise<void>((resolve) => (HomeController.entered = resolve));
    const server = app.getHttpServer();
    if (!server.listening)
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const closed = new Promise<void>((resolve) =>
      server.once('request', (_req: unknown, res: ServerResponse) =>
        res.once('close', () => resolve()),
      ),
    );
    const req = http.get({
      host: '127.0.0.1',
      port,
      path: '/export',
      headers: { cookie: sessions.toCookieHeader({ user: 'dave' }) },
    });
    req.on('error', () => {});
    // The request reached the handler; the client gives up before the answer.
    await entered;
    req.destroy();
    await closed;
    clientGone();
    for (let i = 0; i < 50 && controller.readAfterAbort.length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(controller.readAfterAbort).toEqual(['dave']);
  });

  it("still gives the request's own code its session when the response finishes", async () => {
    const sessions = app.get(SessionService);
    const controller = app.get(HomeController);
    await request(app.getHttpServer())
      .get('/audit')
      .set('Cookie', sessions.toCookieHeader({ user: 'carol' }))
      .expect(200);
    expect(controller.readAtFinish).toEqual(['carol']);
  });
});
