/**
 * Hostile Cookie headers, on Express and Fastify: headers near and over Node's 16 KiB limit,
 * thousands of pairs, 100 KB of values (on a server that accepts that much), the session cookie
 * or a chunk named twice, raw bytes and control characters, seals moved to another name, floods
 * of chunk names. Never a 5xx, never another session's data, at most one decryption a request.
 */
import { jest } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { Sealer } from '../../lib/crypto/sealer.js';
import { SessionCodec } from '../../lib/index.js';
import { PLATFORMS } from '../e2e/support/create-app.js';
import { SessionController } from '../e2e/support/session.controller.js';
import { httpRequest, parseSetCookie, rawRequest, type RawResult } from './fixtures/http.js';
import { startLiveApp, type LiveApp } from './fixtures/live-app.js';
import {
  expectEmpty,
  padded,
  read,
  sessionPairs,
  shortNames,
  type ReadBody,
} from './support/hostile-http.js';

const SECRET = randomBytes(32).toString('base64url');
const codec = new SessionCodec({ secret: SECRET });
const NAME = codec.name; // '__Host-session'

describe.each(PLATFORMS)('hostile Cookie headers, on %s', (platform) => {
  let app: LiveApp;
  /** Same options, but a server that accepts 1 MiB of headers. */
  let roomy: LiveApp;
  let chunked: LiveApp;
  const alice = `${NAME}=${codec.seal({ user: 'alice' })}`;
  const bob = `${NAME}=${codec.seal({ user: 'bob' })}`;
  const session = { secret: SECRET };
  const controllers = [SessionController];

  beforeAll(async () => {
    [app, roomy, chunked] = await Promise.all([
      startLiveApp(platform, { controllers, session }),
      startLiveApp(platform, { controllers, session, maxHeaderSize: 1024 * 1024 }),
      startLiveApp(platform, { controllers, session: { ...session, maxChunks: 3 } }),
    ]);
  });
  afterAll(() => Promise.all([app, roomy, chunked].map((a) => a?.close())));

  const expectAlice = (res: { json: ReadBody }) =>
    expect(res.json).toMatchObject({ data: { user: 'alice' }, isNew: false });

  it('a 16 000-character Cookie header (just under the 16 KiB limit) opens the session at its start or end, and gives an empty one without it', async () => {
    expectAlice(await read(app, padded(16_000, alice, 'start')));
    expectAlice(await read(app, padded(16_000, alice, 'end')));
    expectEmpty(await read(app, padded(16_000, undefined, 'end')));
  });

  it('a Cookie header over the 16 KiB limit (16 500 characters, 100 KB) is refused with 431, never a 5xx', async () => {
    for (const length of [16_500, 100_000]) {
      const res = await httpRequest(app.port, '/read', {
        headers: { cookie: padded(length, alice, 'end') },
      }).catch((error: NodeJS.ErrnoException) => error);
      // Node answers 431 and closes the connection; a client still sending its 100 KB may see
      // the close (Node 24 closes sooner) before it reads the answer. Either way the app never
      // saw the request.
      if ('status' in res) expect(res.status).toBe(431);
      else expect(['ECONNRESET', 'EPIPE']).toContain(res.code);
    }
    expectAlice(await read(app, alice));
  });

  it('3 000 short pairs in one header: the session first, last or absent; a garbage one among them is ignored', async () => {
    const pairs = shortNames(3_000).map((name) => `${name}=1`);
    expectAlice(await read(app, [alice, ...pairs].join(';')));
    expectAlice(await read(app, [...pairs, alice].join(';')));
    expectEmpty(await read(app, pairs.join(';')));
    const garbage = [...pairs.slice(0, 1500), `${NAME}=garbage`, ...pairs.slice(1500)];
    expectEmpty(await read(app, garbage.join(';')));
  });

  it('on a server accepting 1 MiB of headers: 20 000 pairs and 100 KB of values across 25 cookies are answered correctly; a 100 KB session value is refused unread', async () => {
    const pairs = Array.from({ length: 20_000 }, (_, i) => `cookie${i}=value${i}`);
    expectAlice(await read(roomy, [alice, ...pairs].join('; ')));
    expectAlice(await read(roomy, [...pairs, alice].join('; ')));
    expectEmpty(await read(roomy, pairs.join('; ')));
    const big = Array.from({ length: 25 }, (_, i) => `big${i}=${'v'.repeat(4_000)}`);
    expectAlice(await read(roomy, [alice, ...big].join('; ')));
    expectAlice(await read(roomy, [...big, alice].join('; ')));
    expectEmpty(await read(roomy, `${NAME}=${'A'.repeat(100_000)}`));
  });

  it('the session cookie twice in one header: nothing is read from it, whichever is valid', async () => {
    for (const header of [
      `${alice}; ${bob}`,
      `${alice}; ${alice}`,
      `${NAME}=garbage; ${alice}`,
      `${alice}; ${NAME}=`,
      `other=1; ${alice}; x=2; ${bob}`,
    ]) {
      expectEmpty(await read(app, header));
    }
  });

  it('data stored on a request that carried the cookie twice is written as a new session', async () => {
    const res = await httpRequest(app.port, '/set', {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: `${alice}; ${bob}` },
      body: JSON.stringify({ theme: 'dark' }),
    });
    expect(res.status).toBe(201);
    const written = res.setCookies.map(parseSetCookie).filter((c) => c.name === NAME);
    expect(written).toHaveLength(1);
    expect(codec.open(written[0].value)).toEqual({ theme: 'dark' });
  });

  it('raw headers: two Cookie lines carrying the session are read as a duplicate; stray bytes beside the seal are ignored, inside it give an empty session; NUL, CR, LF and DEL get 400', async () => {
    const send = (...lines: string[]) =>
      rawRequest(
        app.port,
        ['GET /read HTTP/1.1', 'Host: 127.0.0.1', ...lines, 'Connection: close', '', ''].join(
          '\r\n',
        ),
      );
    const body = (res: RawResult) => {
      expect(res.status).toBe(200);
      const json = JSON.parse(res.body) as ReadBody;
      if (json.isNew) expect(res.head.some((line) => /^set-cookie:/i.test(line))).toBe(false);
      return json;
    };
    expect(body(await send(`Cookie: ${alice}`, `Cookie: ${bob}`)).isNew).toBe(true);
    expect(body(await send('Cookie: junk=\xff\xfe\x80', `Cookie: ${alice}`)).data.user).toBe(
      'alice',
    );
    expect(body(await send(`Cookie: junk=\xff\xfe\x80; ${alice}; more=\xe9`)).data.user).toBe(
      'alice',
    );
    expect(body(await send(`Cookie: ${alice}\xff`))).toMatchObject({ data: {}, isNew: true });
    const value = alice.slice(NAME.length + 1);
    expect(body(await send(`Cookie: ${NAME}=\xe9${value}`)).isNew).toBe(true);
    for (const bad of ['\x00', '\r', '\x7f', '\x01']) {
      const res = await send(`Cookie: a=1${bad}b; ${alice}`);
      expect([bad, res.status]).toEqual([bad, 400]);
    }
    // A bare LF ends the header line: what follows is a malformed header line.
    expect((await send(`Cookie: a=1\nb; ${alice}`)).status).toBe(400);
  });

  it('chunks are found by name; a chunk named twice, or chunks of two sessions combined, open nothing', async () => {
    const big = (user: string) => ({ user, blob: user[0].repeat(6_000) });
    const set = (user: string) =>
      httpRequest(chunked.port, '/set', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(big(user)),
      });
    const a = sessionPairs(await set('alice'), NAME);
    const b = sessionPairs(await set('bob'), NAME);
    expect(a.map((pair) => pair.split('=')[0])).toEqual([NAME, `${NAME}.1`]);
    expect(b).toHaveLength(2);
    expect((await read(chunked, `${a[1]}; ${a[0]}`)).json.data.user).toBe('alice');
    for (const header of [
      `${a[0]}; ${a[1]}; ${b[1]}`,
      `${a[0]}; ${b[1]}`,
      `${b[0]}; ${a[1]}`,
      `${a[0]}; ${b[0]}; ${a[1]}; ${b[1]}`,
      `${a[0]}; ${NAME}.1=garbage`,
      `${NAME}=${a[1].split(/=(.*)/s)[1]}; ${NAME}.1=${a[0].split(/=(.*)/s)[1]}`,
      a[0],
      a[1],
    ]) {
      expectEmpty(await read(chunked, header));
    }
  });

  it('a seal moved to another cookie name, or under a name differing in case, does not open', async () => {
    const forSid = new SessionCodec({ secret: SECRET, name: 'sid' }).seal({ user: 'alice' });
    const value = alice.slice(NAME.length + 1);
    for (const header of [
      `${NAME}=${forSid}`,
      `__host-session=${value}`,
      `${NAME}.1=${value}`,
      `${NAME}x=${value}`,
      `x${NAME}=${value}`,
      `${NAME}%20=${value}`,
    ]) {
      expectEmpty(await read(app, header));
    }
  });

  it('chunk names .1 … .999 beside a valid session: the response clears at most the chunks this library can have written', async () => {
    const flood = Array.from({ length: 999 }, (_, i) => `${NAME}.${i + 1}=x`);
    const cookie = [alice, ...flood].join('; ');
    for (const [method, path] of [
      ['GET', '/read'],
      ['POST', '/destroy'],
    ]) {
      const res = await httpRequest(roomy.port, path, {
        method,
        headers: { cookie },
        maxHeaderSize: 1 << 20,
      });
      expect(res.status).toBeLessThan(300);
      // A response must not grow with the number of chunk names sent: a proxy (nginx: 4–8 KiB)
      // would refuse its head.
      expect(res.setCookies.length).toBeLessThanOrEqual(20);
      expect(res.setCookies.join('\r\n').length).toBeLessThan(8 * 1024);
    }
  });

  it('a session name repeated or hidden inside other cookies costs at most one decryption a request', async () => {
    const opens = jest.spyOn(Sealer.prototype, 'open');
    const decryptions = async (header: string) => {
      opens.mockClear();
      await read(roomy, header);
      return opens.mock.calls.length;
    };
    // A new seal for each header: a seal the app opened before is opened again from memory.
    const fresh = () => `${NAME}=${codec.seal({ user: 'alice' })}`;
    try {
      let alice = fresh();
      const hidden = Array.from({ length: 500 }, (_, i) => `c${i}=${NAME}=${alice}`);
      expect(await decryptions([...hidden, alice].join('; '))).toBe(1);
      alice = fresh();
      expect(await decryptions(`x${NAME}=1; a=${alice}; ${NAME}x=${alice}; ${alice}`)).toBe(1);
      alice = fresh();
      expect(await decryptions(Array(200).fill(alice).join('; '))).toBe(0);
      expect(await decryptions(`${alice}; ${NAME}.1=a; ${NAME}.1=b`)).toBe(0);
      expect(await decryptions(Array(200).fill(`${NAME}=garbage`).join('; '))).toBe(0);
      // A request that never touches its session and whose seal is not due for renewal.
      opens.mockClear();
      await httpRequest(roomy.port, '/untouched', { headers: { cookie: fresh() } });
      expect(opens.mock.calls.length).toBe(0);
    } finally {
      opens.mockRestore();
    }
  });
});
