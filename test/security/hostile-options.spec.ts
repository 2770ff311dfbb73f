/**
 * Options that would inject cookie attributes or headers are refused at boot with a
 * CookieSessionOptionsError naming the option; the odd-looking values the cookie rules accept
 * stay inside their attribute of one Set-Cookie line — on Express and Fastify.
 */
import { randomBytes } from 'node:crypto';
import {
  CookieSessionModule,
  CookieSessionOptionsError,
  SessionCodec,
  type CookieSessionOptions,
} from '../../lib/index.js';
import { PLATFORMS } from '../e2e/support/create-app.js';
import { SessionController } from '../e2e/support/session.controller.js';
import { attribute, httpRequest, parseSetCookie } from './fixtures/http.js';
import { startLiveApp } from './fixtures/live-app.js';

const SECRET = randomBytes(32).toString('base64url');

/** Values that would break out of a cookie name, an attribute value, or the header line. */
const INJECTIONS = [
  ';',
  'a;b',
  'a; Secure',
  'a\r\nSet-Cookie: evil=1',
  'a\nX-Evil: 1',
  'a\rb',
  'a\u0000b',
  'a\tb',
  'é',
  '☃',
  'a\u2028b',
  'a\u0085b',
  '\ud83d\ude00',
];

const FIELDS: [option: 'name' | 'path' | 'domain', values: string[]][] = [
  ['name', [...INJECTIONS, 'a b', ' a', 'a=b', 'Path=/x', '', 'x'.repeat(201)]],
  [
    'path',
    [...INJECTIONS.map((value) => `/${value}`), '/; Domain=evil.example', '/\u007f', '/<script>'],
  ],
  [
    'domain',
    [
      ...INJECTIONS,
      'example.com; Secure',
      'exämple.com',
      'example..com',
      '.',
      '-example.com',
      'example-.com',
      '[::1]',
      'example.com/path',
      'user@example.com',
      'example.com:443',
      `${'a'.repeat(64)}.com`,
    ],
  ],
];

describe.each(PLATFORMS)('hostile options are refused at boot, on %s', (platform) => {
  for (const [option, values] of FIELDS) {
    it.each(values.map((value) => [value]))(
      `${option} %j: the app does not start (CookieSessionOptionsError naming "${option}")`,
      async (value) => {
        const boot = startLiveApp(platform, {
          controllers: [SessionController],
          session: { secret: SECRET, [option]: value },
        });
        await expect(boot).rejects.toBeInstanceOf(CookieSessionOptionsError);
        await expect(boot).rejects.toMatchObject({ option });
      },
    );
  }

  it('a hostile name through forRootAsync is refused at boot too', async () => {
    const boot = startLiveApp(platform, {
      controllers: [SessionController],
      session: { secret: SECRET },
      imports: [
        CookieSessionModule.forRootAsync({
          useFactory: async () => ({ secret: SECRET, name: 'a; Domain=evil.example' }),
        }),
      ],
    });
    await expect(boot).rejects.toMatchObject({ name: 'CookieSessionOptionsError', option: 'name' });
  });

  // What is accepted stays inside its attribute: the Set-Cookie line has exactly the expected
  // attributes, the value verbatim.
  it.each([
    [{ path: '/a b' }],
    [{ path: '/a=b' }],
    [{ path: '/a,b' }],
    [{ path: '/"a"' }],
    [{ path: "/it's" }],
    [{ name: "a'b" }],
    [{ name: 'a,b' }],
    [{ name: '"a"' }],
    [{ name: 'express:sess' }],
    [{ name: '__Host-sid' }],
    [{ domain: 'example.com' }],
    [{ domain: '.example.com' }],
  ] as Partial<CookieSessionOptions>[][])(
    'accepted odd value %j stays one attribute of one Set-Cookie line',
    async (options) => {
      const app = await startLiveApp(platform, {
        controllers: [SessionController],
        session: { secret: SECRET, ...options },
      });
      try {
        const res = await httpRequest(app.port, '/set', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ user: 'alice' }),
        });
        expect(res.status).toBe(201);
        expect(res.setCookies).toHaveLength(1);
        const [line] = res.setCookies;
        expect(line).not.toMatch(/[\r\n\0]/);
        const cookie = parseSetCookie(line);
        const codec = new SessionCodec({ secret: SECRET, ...options });
        expect(cookie.name).toBe(codec.name);
        // Exactly these attributes, each once (their order carries no meaning).
        const expected = ['max-age', 'path', 'expires', 'httponly', 'secure', 'samesite'];
        if (options.domain) expected.push('domain');
        expect(cookie.attributes.map(([key]) => key).sort()).toEqual(expected.sort());
        expect(attribute(cookie, 'path')).toBe(options.path ?? '/');
        if (options.domain) expect(attribute(cookie, 'domain')).toBe(options.domain);
        expect(codec.open(cookie.value)).toEqual({ user: 'alice' });
      } finally {
        await app.close();
      }
    },
  );
});
