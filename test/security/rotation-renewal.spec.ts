/**
 * After a key rotation, a seal made under an old key is re-sealed under the new one on the
 * client's next request, even one that never touches its session and long before a renewal
 * would be due; a fresh seal under the new key is left alone. So every active client moves off
 * the old key before it is removed.
 */
import { randomBytes } from 'node:crypto';
import { SessionCodec } from '../../lib/index.js';
import { PLATFORMS } from '../e2e/support/create-app.js';
import { SessionController } from '../e2e/support/session.controller.js';
import { httpRequest, parseSetCookie } from './fixtures/http.js';
import { startLiveApp, type LiveApp } from './fixtures/live-app.js';

const OLD = randomBytes(32).toString('base64url');
const NEW = randomBytes(32).toString('base64url');
const underOld = new SessionCodec({ secret: OLD });
const underNew = new SessionCodec({ secret: NEW });
const NAME = underOld.name;

describe.each(PLATFORMS)('re-sealing under the new key, on %s', (platform) => {
  let app: LiveApp;
  beforeAll(async () => {
    app = await startLiveApp(platform, {
      controllers: [SessionController],
      session: { keys: [NEW, OLD] },
    });
  });
  afterAll(() => app?.close());

  const visit = async (path: string, value: string) => {
    const res = await httpRequest(app.port, path, { headers: { cookie: `${NAME}=${value}` } });
    expect(res.status).toBe(200);
    return res.setCookies.map(parseSetCookie).filter((cookie) => cookie.name === NAME);
  };

  it.each(['/untouched', '/read'])(
    'a fresh seal under the old key is re-sealed under the new one at once on %s',
    async (path) => {
      const written = await visit(path, underOld.seal({ user: 'alice' }));
      expect(written).toHaveLength(1);
      expect(underNew.open(written[0].value)).toEqual({ user: 'alice' });
      expect(underOld.open(written[0].value)).toBeUndefined();
    },
  );

  it.each(['/untouched', '/read'])(
    'a fresh seal under the new key is not rewritten on %s',
    async (path) => {
      expect(await visit(path, underNew.seal({ user: 'alice' }))).toEqual([]);
    },
  );
});
