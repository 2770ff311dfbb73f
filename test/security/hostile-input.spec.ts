/**
 * Issue 5, items 6 and 7: time, and hostile options and headers — on Express and Fastify.
 *
 * - Options that would inject cookie attributes or headers are refused at boot with
 *   CookieSessionOptionsError; the few odd-looking values that are accepted are shown harmless.
 * - `Cookie` headers near and over Node's 16 KiB header limit, with thousands of pairs, with
 *   100 KB of values (on a server that accepts that much): answered correctly, never 5xx; the
 *   time taken is printed, not asserted.
 * - The session cookie (or a chunk) named twice in one header, or in two Cookie lines: the
 *   first one wins. Raw bytes and control characters: an empty session or a 400, never a 5xx.
 * - A seal moved to another cookie name or chunk position does not open.
 * - Hundreds of chunk names (`session.1` … `session.999`) do not make the response grow with
 *   them.
 * - Time: maxAge changed between seal and open, seals from the future, expiry and
 *   absoluteTimeout at the exact millisecond.
 */
import {
  CLOCK_SKEW_MS,
  CookieSessionModule,
  CookieSessionOptionsError,
  SessionCodec,
  type CookieSessionOptions,
} from '../../lib/index.js';
import { PLATFORMS } from '../e2e/support/create-app.js';
import { SessionController } from '../e2e/support/session.controller.js';
import { FrozenClock } from './fixtures/frozen-clock.js';
import {
  attribute,
  httpRequest,
  parseSetCookie,
  rawRequest,
  type HttpResult,
  type RawResult,
} from './fixtures/http.js';
import { startLiveApp, type LiveApp } from './fixtures/live-app.js';

const SECRET = 'hostile-input-secret-0123456789-abcdefghijk';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const codec = new SessionCodec({ secret: SECRET });

interface ReadBody {
  data: Record<string, unknown>;
  isNew: boolean;
}

async function read(app: LiveApp, cookie?: string): Promise<HttpResult & { json: ReadBody }> {
  const res = await httpRequest(
    app.port,
    '/read',
    cookie === undefined ? {} : { headers: { cookie } },
  );
  expect(res.status).toBe(200);
  return { ...res, json: JSON.parse(res.body) as ReadBody };
}

function post(app: LiveApp, path: string, body: object, cookie?: string) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (cookie !== undefined) headers.cookie = cookie;
  return httpRequest(app.port, path, { method: 'POST', headers, body: JSON.stringify(body) });
}

/** The session cookie's `name=value` pairs a response sets, in order (chunks included). */
function sessionPairs(res: HttpResult, name = 'session'): string[] {
  return res.setCookies
    .map(parseSetCookie)
    .filter((c) => c.name === name || c.name.startsWith(`${name}.`))
    .map((c) => `${c.name}=${c.value}`);
}

/** Times a step and prints it (no threshold: the machine decides). */
async function timed<T>(label: string, step: () => Promise<T>): Promise<T> {
  const started = process.hrtime.bigint();
  try {
    return await step();
  } finally {
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    timings.push(`${label}: ${ms.toFixed(1)} ms`);
  }
}
const timings: string[] = [];
afterAll(() => {
  if (timings.length)
    console.log(`hostile Cookie headers, time per request:\n  ${timings.join('\n  ')}`);
});

// ---------------------------------------------------------------------------------------------
// Item 7: options that would inject attributes or headers
// ---------------------------------------------------------------------------------------------

/** Values that would break out of a cookie name, an attribute value, or the header line. */
const INJECTIONS = [
  ';',
  'a;b',
  'a; Secure',
  'Path=/x',
  'a\r\nSet-Cookie: evil=1',
  'a\nX-Evil: 1',
  'a\rb',
  'a\u0000b',
  'a\tb',
  'a b',
  ' a',
  'a ',
  'a=b',
  'a,b',
  '"a"',
  'é',
  'séssion',
  '☃',
  'a\u2028b',
  'a\u0085b',
  '\ud83d\ude00',
  '',
];
/** Cookie-name separators of RFC 6265 / RFC 7230 that are not tokens. */
const NAME_ONLY = [
  'a/b',
  'a:b',
  '(a)',
  '<a>',
  'a@b',
  'a[0]',
  '{a}',
  'a?b',
  'a\\b',
  'x'.repeat(201),
];
const PATH_ONLY = [
  'x',
  'a; Secure',
  '/a;b',
  '/; Domain=evil.example',
  '/\r\nSet-Cookie: evil=1',
  '/\u0000',
  '/\t',
  '/é',
  '/☃',
  '/<script>',
  '/\u007f',
];
const DOMAIN_ONLY = [
  'example.com; Secure',
  'example.com\r\nX-Evil: 1',
  'exämple.com',
  'example..com',
  '.',
  '-example.com',
  'example-.com',
  'example.com.',
  '[::1]',
  'example.com/path',
  'user@example.com',
  'example.com:443',
  `${'a'.repeat(64)}.com`,
];

const FIELDS: [option: 'name' | 'path' | 'domain', values: string[]][] = [
  ['name', [...INJECTIONS, ...NAME_ONLY]],
  // Inside an attribute value only ';', controls and non-ASCII end or corrupt it (plus '<',
  // which the cookie serialiser refuses); a path must start with '/'.
  ['path', [...INJECTIONS.filter((v) => !/^[\x20-\x3a\x3d-\x7e]*$/.test(`/${v}`)), ...PATH_ONLY]],
  ['domain', [...INJECTIONS, ...DOMAIN_ONLY]],
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
        const res = await post(app, '/set', { user: 'alice' });
        expect(res.status).toBe(201);
        expect(res.setCookies).toHaveLength(1);
        const [line] = res.setCookies;
        expect(line).not.toMatch(/[\r\n\0]/);
        const cookie = parseSetCookie(line);
        expect(cookie.name).toBe(options.name ?? 'session');
        // Exactly these attributes, each once (their order carries no meaning).
        expect(cookie.attributes.map(([key]) => key).sort()).toEqual(
          [
            'max-age',
            options.domain ? 'domain' : undefined,
            'path',
            'expires',
            'httponly',
            'secure',
            'samesite',
          ]
            .filter(Boolean)
            .sort(),
        );
        expect(attribute(cookie, 'path')).toBe(options.path ?? '/');
        if (options.domain) expect(attribute(cookie, 'domain')).toBe(options.domain);
        const named = new SessionCodec({ secret: SECRET, name: options.name });
        expect(named.open(cookie.value)).toEqual({ user: 'alice' });
      } finally {
        await app.close();
      }
    },
  );
});

// ---------------------------------------------------------------------------------------------
// Item 7: hostile Cookie headers
// ---------------------------------------------------------------------------------------------

/** `count` distinct cookie names of two characters (never containing "session"). */
function shortNames(count: number): string[] {
  const first = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  const second = `${first}0123456789`;
  const names: string[] = [];
  for (const a of first) for (const b of second) if (names.length < count) names.push(a + b);
  expect(names).toHaveLength(count);
  return names;
}

/** Filler cookies to reach `length` characters of header with `session` placed as asked. */
function padded(length: number, session: string | undefined, at: 'start' | 'end'): string {
  const fixed = session === undefined ? 0 : session.length + 2;
  const pairs: string[] = [];
  let size = fixed;
  for (let i = 0; size < length; i++) {
    const pair = `filler${i}=${'x'.repeat(200)}`;
    pairs.push(pair);
    size += pair.length + 2;
  }
  // Trim the last filler so the header is exactly `length` characters.
  const header = () =>
    (session === undefined
      ? pairs
      : at === 'start'
        ? [session, ...pairs]
        : [...pairs, session]
    ).join('; ');
  const over = header().length - length;
  const last = pairs[pairs.length - 1];
  pairs[pairs.length - 1] =
    over >= 0 ? last.slice(0, last.length - over) : last + 'x'.repeat(-over);
  const result = header();
  expect(result).toHaveLength(length);
  return result;
}

describe.each(PLATFORMS)('hostile Cookie headers, on %s', (platform) => {
  let app: LiveApp;
  /** Same options, but a server that accepts 1 MiB of headers. */
  let roomy: LiveApp;
  let chunked: LiveApp;
  const alice = `session=${codec.seal({ user: 'alice' })}`;
  const bob = `session=${codec.seal({ user: 'bob' })}`;
  const session = { secret: SECRET };

  beforeAll(async () => {
    [app, roomy, chunked] = await Promise.all([
      startLiveApp(platform, { controllers: [SessionController], session }),
      startLiveApp(platform, {
        controllers: [SessionController],
        session,
        maxHeaderSize: 1024 * 1024,
      }),
      startLiveApp(platform, {
        controllers: [SessionController],
        session: { ...session, maxChunks: 3 },
      }),
    ]);
  });
  afterAll(() => Promise.all([app, roomy, chunked].map((a) => a?.close())));

  const expectAlice = (res: { json: ReadBody }) =>
    expect(res.json).toMatchObject({ data: { user: 'alice' }, isNew: false });

  it('a 16 000-character Cookie header (just under Node’s 16 KiB limit) opens the session at its start or end, and gives an empty one without it', async () => {
    const at = (where: 'start' | 'end') => padded(16_000, alice, where);
    expectAlice(await timed(`${platform} 16 KB, session first`, () => read(app, at('start'))));
    expectAlice(await timed(`${platform} 16 KB, session last`, () => read(app, at('end'))));
    expectEmpty(
      await timed(`${platform} 16 KB, no session`, () =>
        read(app, padded(16_000, undefined, 'end')),
      ),
    );
  });

  it('a Cookie header over the 16 KiB limit (16 500 characters, 100 KB) is refused with 431, never a 5xx', async () => {
    for (const length of [16_500, 100_000]) {
      const res = await timed(`${platform} ${length} characters (over the limit)`, () =>
        httpRequest(app.port, '/read', { headers: { cookie: padded(length, alice, 'end') } }),
      );
      expect(res.status).toBe(431);
    }
    // The server is still fine afterwards.
    expectAlice(await read(app, alice));
  });

  it('3 000 short pairs in one header (under 16 KiB): session first, last or absent', async () => {
    const pairs = shortNames(3_000).map((name) => `${name}=1`);
    const first = [alice, ...pairs].join(';');
    const last = [...pairs, alice].join(';');
    expect(last.length).toBeLessThan(16_000);
    expectAlice(await timed(`${platform} 3 000 pairs, session first`, () => read(app, first)));
    expectAlice(await timed(`${platform} 3 000 pairs, session last`, () => read(app, last)));
    expectEmpty(
      await timed(`${platform} 3 000 pairs, no session`, () => read(app, pairs.join(';'))),
    );
    // A garbage session among them is an empty session, and the garbage is left alone.
    expectEmpty(
      await read(app, [...pairs.slice(0, 1500), 'session=garbage', ...pairs.slice(1500)].join(';')),
    );
  });

  it('on a server accepting 1 MiB of headers: 20 000 pairs and 100 KB of values across 25 cookies are answered correctly', async () => {
    const pairs = Array.from({ length: 20_000 }, (_, i) => `cookie${i}=value${i}`);
    expectAlice(
      await timed(`${platform} 20 000 pairs, session first`, () =>
        read(roomy, [alice, ...pairs].join('; ')),
      ),
    );
    expectAlice(
      await timed(`${platform} 20 000 pairs, session last`, () =>
        read(roomy, [...pairs, alice].join('; ')),
      ),
    );
    expectEmpty(
      await timed(`${platform} 20 000 pairs, no session`, () => read(roomy, pairs.join('; '))),
    );

    const big = Array.from({ length: 25 }, (_, i) => `big${i}=${'v'.repeat(4_000)}`);
    expect(big.join('; ').length).toBeGreaterThan(100_000);
    expectAlice(
      await timed(`${platform} 100 KB in 25 cookies, session first`, () =>
        read(roomy, [alice, ...big].join('; ')),
      ),
    );
    expectAlice(
      await timed(`${platform} 100 KB in 25 cookies, session last`, () =>
        read(roomy, [...big, alice].join('; ')),
      ),
    );
    expectEmpty(
      await timed(`${platform} 100 KB in 25 cookies, no session`, () =>
        read(roomy, big.join('; ')),
      ),
    );
    // A 100 KB value in the session cookie itself is refused before any decoding.
    expectEmpty(
      await timed(`${platform} 100 KB session cookie`, () =>
        read(roomy, `session=${'A'.repeat(100_000)}`),
      ),
    );
  });

  it('the session cookie twice in one header: the first one wins, valid or not', async () => {
    expectAlice(await read(app, `${alice}; ${bob}`));
    expect((await read(app, `${bob}; ${alice}`)).json).toMatchObject({
      data: { user: 'bob' },
      isNew: false,
    });
    // The first is not a valid seal: an empty session, no fall-back to the second.
    expectEmpty(await read(app, `session=garbage; ${alice}`));
    expectEmpty(await read(app, `session=; ${alice}`));
    expectEmpty(await read(app, `session=${codec.seal({ user: 'x' }).slice(1)}; ${alice}`));
    expectAlice(await read(app, `${alice}; session=garbage`));
    expectAlice(await read(app, `other=1; ${alice}; session=; ${bob}`));
  });

  it('raw headers: two Cookie lines are joined and the first session wins; stray bytes beside the seal are ignored, inside it give an empty session; NUL, CR, LF and DEL in the header get 400, never a 5xx', async () => {
    const send = (...lines: string[]) =>
      rawRequest(
        app.port,
        ['GET /read HTTP/1.1', 'Host: 127.0.0.1', ...lines, 'Connection: close', '', ''].join(
          '\r\n',
        ),
      );
    const json = (res: RawResult) => {
      expect(res.status).toBe(200);
      const body = JSON.parse(res.body) as ReadBody;
      // An invalid cookie is left alone: no Set-Cookie for an empty session.
      if (body.isNew) expect(res.head.some((line) => /^set-cookie:/i.test(line))).toBe(false);
      return { json: body };
    };
    const user = (res: RawResult) => json(res).json.data.user;
    expect(user(await send(`Cookie: ${alice}`, `Cookie: ${bob}`))).toBe('alice');
    expect(user(await send(`Cookie: ${bob}`, `Cookie: ${alice}`))).toBe('bob');
    expect(user(await send('Cookie: junk=\xff\xfe\x80', `Cookie: ${alice}`))).toBe('alice');
    expect(user(await send(`Cookie: junk=\xff\xfe\x80; ${alice}; more=\xe9`))).toBe('alice');
    expect(json(await send(`Cookie: ${alice}\xff`)).json).toMatchObject({ data: {}, isNew: true });
    expect(json(await send(`Cookie: session=\xe9${alice.slice(8)}`)).json.isNew).toBe(true);
    for (const bad of ['\x00', '\r', '\x7f', '\x01']) {
      const res = await send(`Cookie: a=1${bad}b; ${alice}`);
      expect([bad, res.status]).toEqual([bad, 400]);
    }
    // A bare LF ends the header line: what follows is a malformed header line.
    expect((await send(`Cookie: a=1\nb; ${alice}`)).status).toBe(400);
  });

  it('chunk cookies named twice: the first of each name wins; chunks of two sessions never combine', async () => {
    const big = (user: string) => ({ user, blob: user[0].repeat(6_000) });
    const a = sessionPairs(await post(chunked, '/set', big('alice')));
    const b = sessionPairs(await post(chunked, '/set', big('bob')));
    expect(a.map((pair) => pair.split('=')[0])).toEqual(['session', 'session.1']);
    expect(b).toHaveLength(2);
    const opens = async (header: string, user: string | undefined) => {
      const res = await read(chunked, header);
      if (user) expect(res.json).toMatchObject({ data: { user }, isNew: false });
      else expectEmpty(res);
    };
    await opens(a.join('; '), 'alice');
    await opens(`${a[1]}; ${a[0]}`, 'alice'); // chunks are found by name, not by position
    await opens(`${a[0]}; ${a[1]}; ${b[1]}`, 'alice');
    await opens(`${a[0]}; ${b[1]}; ${a[1]}`, undefined); // alice's first chunk + bob's second
    await opens(`${a[0]}; ${b[0]}; ${a[1]}; ${b[1]}`, 'alice');
    await opens(`${b[0]}; ${a[0]}; ${b[1]}; ${a[1]}`, 'bob');
    await opens(`${b[0]}; ${a[0]}; ${a[1]}; ${b[1]}`, undefined); // bob's first chunk + alice's second
    await opens(`${a[0]}; session.1=garbage; ${a[1]}`, undefined);
    await opens(`session=garbage; ${a[0]}; ${a[1]}`, undefined);
    // Chunks swapped between the names.
    const [, v0] = a[0].split(/=(.*)/s);
    const [, v1] = a[1].split(/=(.*)/s);
    await opens(`session=${v1}; session.1=${v0}`, undefined);
    // A chunk missing: nothing opens.
    await opens(a[0], undefined);
    await opens(a[1], undefined);
  });

  it('a seal moved to another cookie name, or under a name differing in case, does not open', async () => {
    const forSid = new SessionCodec({ secret: SECRET, name: 'sid' }).seal({ user: 'alice' });
    expectEmpty(await read(app, `session=${forSid}`));
    const value = alice.slice('session='.length);
    expectEmpty(await read(app, `Session=${value}`));
    expectEmpty(await read(app, `SESSION=${value}`));
    expectEmpty(await read(app, `session.1=${value}`));
    expectEmpty(await read(app, `sessionx=${value}`));
    expectEmpty(await read(app, `xsession=${value}`));
    expectEmpty(await read(app, `session%20=${value}`)); // names are not percent-decoded
    // The chunked app's first cookie: a one-chunk seal made for the same name opens there.
    expect((await read(chunked, alice)).json).toMatchObject({ data: { user: 'alice' } });
  });

  it('chunk names session.1 … session.999 beside a valid session (maxChunks 1): the session opens, and the response clears at most the 19 chunk names a maxChunks of 20 could have written', async () => {
    const flood = Array.from({ length: 999 }, (_, i) => `session.${i + 1}=x`);
    const cookie = [alice, ...flood].join('; ');
    expect(cookie.length).toBeLessThan(16_000);
    for (const [method, path] of [
      ['GET', '/read'],
      ['POST', '/destroy'],
    ]) {
      const res = await timed(`${platform} ${method} ${path} with 999 chunk names`, () =>
        httpRequest(app.port, path, { method, headers: { cookie }, maxHeaderSize: 1 << 20 }),
      );
      const size = res.setCookies.reduce((sum, line) => sum + line.length + 14, 0);
      console.log(
        `${platform}: ${method} ${path} with a valid session and 999 chunk names (a ${cookie.length}-character Cookie header) ` +
          `answers ${res.status} with ${res.setCookies.length} Set-Cookie lines, ${size} bytes of headers`,
      );
      expect(res.status).toBeLessThan(300);
      if (path === '/read') expectAlice({ json: JSON.parse(res.body) as ReadBody });
      // A Node client (and a proxy such as nginx, 4–8 KiB by default) refuses a response head
      // over its limit: a response must not grow with the number of chunk names sent.
      expect(res.setCookies.length).toBeLessThanOrEqual(20);
      expect(size).toBeLessThan(8 * 1024);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Item 6: time
// ---------------------------------------------------------------------------------------------

describe.each(PLATFORMS)('time, on %s', (platform) => {
  const clock = new FrozenClock();
  const apps: LiveApp[] = [];
  const start = async (options: Partial<CookieSessionOptions>) => {
    const app = await startLiveApp(platform, {
      controllers: [SessionController],
      session: { secret: SECRET, ...options },
    });
    apps.push(app);
    return app;
  };
  beforeEach(() => clock.install());
  afterEach(async () => {
    clock.uninstall();
    await Promise.all(apps.splice(0).map((a) => a.close()));
  });

  /** The renewed seal of a response, opened at the frozen instant. */
  const renewed = (res: HttpResult, options: Partial<CookieSessionOptions> = {}) => {
    const [cookie] = res.setCookies.map(parseSetCookie);
    return new SessionCodec({ secret: SECRET, ...options }).openSeal(cookie.value, clock.time);
  };

  it('a seal made under maxAge 1 h opens on an app now configured with maxAge 10 min until its own expiry (the seal’s expiry is honoured, not the new maxAge); the renewal gets 10 min', async () => {
    const long = await start({ maxAge: HOUR });
    const short = await start({ maxAge: 10 * MINUTE });
    const t0 = clock.time;
    const jar = sessionPairs(await post(long, '/set', { user: 'alice' }))[0];

    clock.set(t0 + 30 * MINUTE);
    const res = await read(short, jar);
    expectAliceData(res.json);
    expect(renewed(res)).toMatchObject({
      createdAt: t0,
      issuedAt: t0 + 30 * MINUTE,
      expiresAt: t0 + 40 * MINUTE,
    });
    expect(attribute(parseSetCookie(res.setCookies[0]), 'max-age')).toBe('600');

    clock.set(t0 + HOUR - 1);
    expectAliceData((await read(short, jar)).json);
    clock.set(t0 + HOUR);
    expect((await read(short, jar)).json).toMatchObject({ data: {}, isNew: true });
  });

  it('a seal made under maxAge 10 min is refused at its own expiry by an app configured with maxAge 1 h; before that it opens and the renewal gets 1 h', async () => {
    const long = await start({ maxAge: HOUR });
    const short = await start({ maxAge: 10 * MINUTE });
    const t0 = clock.time;
    const jar = sessionPairs(await post(short, '/set', { user: 'alice' }))[0];

    clock.set(t0 + 10 * MINUTE - 1);
    const res = await read(long, jar);
    expectAliceData(res.json);
    expect(renewed(res)).toMatchObject({ createdAt: t0, expiresAt: t0 + 10 * MINUTE - 1 + HOUR });
    clock.set(t0 + 10 * MINUTE);
    expect((await read(long, jar)).json).toMatchObject({ data: {}, isNew: true });
  });

  it(`a seal issued in the future opens up to ${CLOCK_SKEW_MS} ms ahead (clock skew) and is refused beyond, to the millisecond`, async () => {
    const app = await start({});
    const now = clock.time;
    const future = (ahead: number, created = now + ahead) =>
      `session=${codec.sealJson('{"user":"alice"}', {
        createdAt: created,
        issuedAt: now + ahead,
        expiresAt: now + ahead + HOUR,
      })}`;
    expectAliceData((await read(app, future(CLOCK_SKEW_MS))).json);
    expectEmpty(await read(app, future(CLOCK_SKEW_MS + 1)));
    expectEmpty(await read(app, future(86_400_000)));
    expectEmpty(await read(app, future(2 ** 47)));
    // Created after it was issued: refused.
    expectEmpty(await read(app, future(0, now + 1)));
    expectAliceData((await read(app, future(0, now))).json);
  });

  it('a seal is refused at its expiry to the millisecond, whatever the cookie says', async () => {
    const app = await start({});
    const now = clock.time;
    const until = (expiresAt: number) =>
      `session=${codec.sealJson('{"user":"alice"}', { createdAt: now - HOUR, issuedAt: now - HOUR, expiresAt })}`;
    expectAliceData((await read(app, until(now + 1))).json);
    expectEmpty(await read(app, until(now)));
    expectEmpty(await read(app, until(now - 1)));
    expectEmpty(await read(app, until(0)));
  });

  it('absoluteTimeout: renewals never push the expiry past creation + absoluteTimeout; the session opens 1 ms before and is refused at that instant', async () => {
    const app = await start({ maxAge: HOUR, absoluteTimeout: 2 * HOUR });
    const t0 = clock.time;
    let jar = sessionPairs(await post(app, '/set', { user: 'alice' }))[0];
    for (const at of [50 * MINUTE, 100 * MINUTE]) {
      clock.set(t0 + at);
      const res = await read(app, jar);
      expectAliceData(res.json);
      expect(renewed(res, { absoluteTimeout: 2 * HOUR })).toMatchObject({
        createdAt: t0,
        expiresAt: Math.min(t0 + at + HOUR, t0 + 2 * HOUR),
      });
      jar = sessionPairs(res)[0];
    }
    clock.set(t0 + 2 * HOUR - 1);
    const last = await read(app, jar);
    expectAliceData(last.json);
    expect(renewed(last)).toMatchObject({ createdAt: t0, expiresAt: t0 + 2 * HOUR });
    expect(attribute(parseSetCookie(last.setCookies[0]), 'max-age')).toBe('0');
    clock.set(t0 + 2 * HOUR);
    expectEmpty(await read(app, jar));
    expectEmpty(await read(app, sessionPairs(last)[0]));
  });
});

function expectAliceData(body: ReadBody) {
  expect(body).toMatchObject({ data: { user: 'alice' }, isNew: false });
}

function expectEmpty(res: { json: ReadBody } & HttpResult) {
  expect(res.json).toMatchObject({ data: {}, isNew: true });
  expect(res.setCookies).toEqual([]);
}
