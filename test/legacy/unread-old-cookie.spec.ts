import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { PLATFORMS, createApp } from '../e2e/support/create-app.js';
import { recordingLogger } from '../e2e/support/recording-logger.js';
import { SessionController } from '../e2e/support/session.controller.js';
import { signedOldCookie } from './cookie-session-app.js';

/** The keys this app was given: not the ones the old app signed most cookies with. */
const NEW_KEYS = ['a key the old app used for a few days only'];

/**
 * A rollout whose `legacy` keys are not the old app's logs every returning user out; the log
 * says so once, without showing any cookie.
 */
describe.each(PLATFORMS)('old cookies that do not read, on %s', (platform) => {
  let app: INestApplication;
  const logger = recordingLogger();
  beforeAll(async () => {
    app = await createApp(platform, {
      controllers: [SessionController],
      session: { legacy: { cookieSession: { keys: NEW_KEYS } } },
      configure: (a) => a.useLogger(logger),
    });
  });
  afterAll(() => app.close());

  const unreadWarnings = () =>
    logger.warn.mock.calls
      .map(([message]) => String(message))
      .filter((message) => message.includes('could not be read'));

  it('stays quiet for old cookies that read and for requests without any', async () => {
    await request(app.getHttpServer()).get('/read').expect(200);
    const adopted = await request(app.getHttpServer())
      .get('/read')
      .set('Cookie', signedOldCookie(NEW_KEYS[0], { user: 'dave' }))
      .expect(200);
    expect(adopted.body.data).toEqual({ user: 'dave' });
    expect(unreadWarnings()).toEqual([]);
  });

  it('starts a new session and says once to check the legacy keys', async () => {
    for (const user of ['alice', 'bob', 'carol']) {
      const res = await request(app.getHttpServer())
        .get('/read')
        .set('Cookie', signedOldCookie('the old app key, as it always was', { user }))
        .expect(200);
      expect(res.body.data).toEqual({});
    }
    const warnings = unreadWarnings();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('"legacy"');
    expect(warnings[0]).not.toMatch(/alice|session=/);
  });
});
