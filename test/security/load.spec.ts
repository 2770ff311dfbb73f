/**
 * Concurrency isolation under load: 1 000 clients, each with its own session and counter, make 20 requests each against a real
 * server (the built package in a child process, test/security/fixtures/session-server.mjs, on
 * 127.0.0.1) through a keep-alive agent, at most 100 requests in flight. A client names itself
 * only on its first request (`?id=`); after that it sends nothing but its cookie, so the id in
 * an answer can only come from the session the server opened. Every response must carry this
 * client's id and counter in its body and in its sealed Set-Cookie (opened with SessionCodec),
 * and every client must end at exactly 20.
 *
 * Bounded: a fixed number of requests, each with a 10 s timeout, and a deadline after which no
 * new request starts (the test then fails on the missing requests).
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { SessionCodec } from '../../lib/index.js';
import { PLATFORMS } from '../e2e/support/create-app.js';
import { startAppProcess, stopAllAppProcesses, type AppProcess } from './fixtures/app-process.js';
import { httpRequest, parseSetCookie } from './fixtures/http.js';

const SECRET = randomBytes(32).toString('base64url');
// The app process runs with secure: false, so its cookie is named 'session'.
const codec = new SessionCodec({ secret: SECRET, secure: false });
const CLIENTS = 1_000;
const REQUESTS = 20;
const IN_FLIGHT = 100;
const DEADLINE_MS = 75_000;

/** A counting semaphore: at most `limit` holders, the others wait in order. */
class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly limit: number) {}

  async acquire(): Promise<void> {
    if (this.active < this.limit) {
      this.active++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }
}

interface LoadResult {
  requests: number;
  /** Clients whose counter ended at exactly REQUESTS. */
  complete: number;
  mismatches: number;
  errors: number;
  /** Requests never started because the deadline passed. */
  skipped: number;
  maxInFlight: number;
  examples: string[];
}

async function load(server: AppProcess): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
  const gate = new Semaphore(IN_FLIGHT);
  const deadline = Date.now() + DEADLINE_MS;
  const result: LoadResult = {
    requests: 0,
    complete: 0,
    mismatches: 0,
    errors: 0,
    skipped: 0,
    maxInFlight: 0,
    examples: [],
  };
  let inFlight = 0;
  const run = Math.random().toString(36).slice(2, 8);
  const problem = (what: string) => {
    result.mismatches++;
    if (result.examples.length < 5) result.examples.push(what);
  };

  async function client(index: number): Promise<void> {
    const id = `c${index}-${run}`;
    let cookie: string | undefined;
    let last = 0;
    for (let k = 1; k <= REQUESTS; k++) {
      if (Date.now() > deadline) {
        result.skipped += REQUESTS - k + 1;
        return;
      }
      await gate.acquire();
      inFlight++;
      result.maxInFlight = Math.max(result.maxInFlight, inFlight);
      let res;
      try {
        const headers: Record<string, string> = { 'x-client': id };
        if (cookie) headers.cookie = cookie;
        res = await httpRequest(server.port, k === 1 ? `/touch?id=${id}` : '/touch', {
          agent,
          headers,
          timeoutMs: 10_000,
        });
      } catch (error) {
        result.errors++;
        if (result.examples.length < 5) result.examples.push(`${id} #${k}: ${String(error)}`);
        return;
      } finally {
        inFlight--;
        gate.release();
      }
      result.requests++;
      if (res.status !== 200) return problem(`${id} #${k}: status ${res.status}`);
      const body = JSON.parse(res.body) as { id: string; n: number; isNew: boolean; asked: string };
      if (body.asked !== id || body.id !== id || body.n !== k || body.isNew !== (k === 1))
        return problem(`${id} #${k}: body ${res.body}`);
      const written = res.setCookies.map(parseSetCookie).filter((c) => c.name === 'session');
      if (written.length !== 1) return problem(`${id} #${k}: ${written.length} session cookies`);
      const sealed = codec.open(written[0].value);
      if (
        sealed === undefined ||
        Object.keys(sealed).length !== 2 ||
        sealed.id !== id ||
        sealed.n !== k
      )
        return problem(`${id} #${k}: seal holds ${JSON.stringify(sealed)}`);
      cookie = `session=${written[0].value}`;
      last = body.n;
    }
    if (last === REQUESTS) result.complete++;
  }

  try {
    await Promise.all(Array.from({ length: CLIENTS }, (_, i) => client(i)));
  } finally {
    agent.destroy();
  }
  return result;
}

describe.each(PLATFORMS)('concurrency isolation under load, on %s', (platform) => {
  let server: AppProcess;
  beforeAll(async () => {
    server = await startAppProcess({ platform, keys: [SECRET] });
  }, 30_000);
  afterAll(() => stopAllAppProcesses());

  it(`${CLIENTS} clients x ${REQUESTS} requests, ${IN_FLIGHT} in flight: every client ends at exactly ${REQUESTS}, no response carries another client's data`, async () => {
    const result = await load(server);
    expect(result.examples).toEqual([]);
    expect(result).toMatchObject({
      requests: CLIENTS * REQUESTS,
      complete: CLIENTS,
      mismatches: 0,
      errors: 0,
      skipped: 0,
    });
    expect(result.maxInFlight).toBeLessThanOrEqual(IN_FLIGHT);
  }, 100_000);
});
