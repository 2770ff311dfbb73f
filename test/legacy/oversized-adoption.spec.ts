import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { setCookies } from '../e2e/support/cookies.js';
import { PLATFORMS, createApp } from '../e2e/support/create-app.js';
import { recordingLogger } from '../e2e/support/recording-logger.js';
import { SessionController } from '../e2e/support/session.controller.js';
import { signedOldCookie } from './cookie-session-app.js';

const OLD_KEY = 'the old app key, as it always was';

/** A cookie-session cookie (base64 JSON + Keygrip signature) holding `bytes` bytes of JSON. */
function oldCookie(bytes: number): string {
  const data = { user: 'alice', prefs: '' };
  data.prefs = 'p'.repeat(bytes - JSON.stringify(data).length);
  return signedOldCookie(OLD_KEY, data);
}

describe.each(PLATFORMS)('an adopted session too large for one cookie, on %s', (platform) => {
  let app: INestApplication;
  const logger = recordingLogger();
  beforeAll(async () => {
    app = await createApp(platform, {
      controllers: [SessionController],
      session: { legacy: { cookieSession: { keys: [OLD_KEY] } } },
      configure: (a) => a.useLogger(logger),
    });
  });
  afterAll(() => app.close());
  const http = () => request(app.getHttpServer());

  it('keeps the user logged in from the old cookie, which stays, and says once how to fit it', async () => {
    const cookie = oldCookie(3_060);
    for (const path of ['/untouched', '/read', '/untouched', '/read']) {
      const res = await http().get(path).set('Cookie', cookie).expect(200);
      expect(setCookies(res)).toEqual([]);
      if (path === '/read') expect(res.body.data.user).toBe('alice');
    }
    const warnings = logger.warn.mock.calls.map(([message]) => String(message));
    expect(warnings.filter((m) => m.includes('maxChunks'))).toHaveLength(1);
    expect(warnings.join('\n')).not.toContain('ppppp');
  });

  it('still adopts a session that fits, and expires the old cookie', async () => {
    const res = await http().get('/read').set('Cookie', oldCookie(2_000)).expect(200);
    expect(res.body.data.user).toBe('alice');
    const names = setCookies(res).map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(['__Host-session', 'session', 'session.sig']));
  });

  it('fails a request that changes such a session, as any write too large for its cookies', async () => {
    await http().post('/set').set('Cookie', oldCookie(3_060)).send({ seen: true }).expect(500);
  });
});
