import { jest } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { SessionCodec, SessionInterceptor } from '../../lib/index.js';
import { cookieHeader, setCookies } from '../support/cookies.js';
import { PLATFORMS, SECRET, createApp, type AppSetup } from './support/create-app.js';
import { FillController } from './support/fill.controller.js';
import { recordingLogger } from './support/recording-logger.js';
import { SessionController } from './support/session.controller.js';

const codec = new SessionCodec({ secret: SECRET });

describe.each(PLATFORMS)('globalInterceptor: false, on %s', (platform) => {
  const apps: INestApplication[] = [];
  const logger = recordingLogger();
  const open = async (setup: AppSetup = {}) => {
    const app = await createApp(platform, {
      controllers: [SessionController, FillController],
      session: { globalInterceptor: false },
      configure: (a) => a.useLogger(logger),
      ...setup,
    });
    apps.push(app);
    return () => request(app.getHttpServer());
  };
  let intercept: ReturnType<typeof jest.spyOn>;
  beforeEach(() => {
    logger.error.mockClear();
    intercept = jest.spyOn(SessionInterceptor.prototype, 'intercept');
  });
  afterEach(async () => {
    intercept.mockRestore();
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });

  it('still writes and reads sessions, with no SessionInterceptor in the pipeline', async () => {
    const http = await open();
    const login = await http().post('/set').send({ user: 'alice' }).expect(201);
    expect(codec.open(setCookies(login)[0].value)).toEqual({ user: 'alice' });
    const read = await http().get('/read').set('Cookie', cookieHeader(login)).expect(200);
    expect(read.body.data).toEqual({ user: 'alice' });
    expect(intercept).not.toHaveBeenCalled();
  });

  it('runs SessionInterceptor on every route by default', async () => {
    const http = await open({ session: {} });
    await http().post('/set').send({ user: 'alice' }).expect(201);
    expect(intercept).toHaveBeenCalledTimes(1);
  });

  it('keeps the previous cookie when a session grows too large for its cookies', async () => {
    const http = await open();
    const login = await http().post('/set').send({ user: 'alice' }).expect(201);
    const big = await http().post('/fill').set('Cookie', cookieHeader(login)).send({ bytes: 5000 });
    expect(setCookies(big)).toEqual([]);
    if (platform === 'fastify') {
      // Sealed in an onSend hook, while Fastify's error handler can still answer.
      expect(big.status).toBe(500);
    } else {
      // Sealed as the headers leave: too late for a 500, so it is logged.
      expect(big.status).toBe(201);
      const errors = logger.error.mock.calls.map(([message]) => String(message));
      expect(errors.some((m) => m.includes('would need'))).toBe(true);
    }
    const read = await http().get('/read').set('Cookie', cookieHeader(login)).expect(200);
    expect(read.body.data).toEqual({ user: 'alice' });
  });
});
