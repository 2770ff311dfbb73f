// Cost per request of several bench apps served in this one process, one request each in turn,
// round after round: a slow spell of the machine (which on a shared VM moves throughput by tens
// of per cent from one second to the next) falls on all of them alike, so their ratios hold to a
// few per cent where the HTTP tables' hold to tens. Requests are injected (no sockets, no load
// generator), each app with a browser's cookie jar. What it cannot show: the network stack,
// concurrency, and a server's own garbage collector (all apps share one heap).
import inject from 'light-my-request';
import { CookieJar, setCookieOf } from './cookie-jar.mjs';

const BATCH = 200;
// The slowest few requests of each batch are left out: a full collection of the shared heap, or
// a stall of the machine, lands on whichever app was serving and would swing that batch by
// several times. Scavenges, which every app causes, are frequent enough to stay in.
const DROPPED = 4;

const sum = (values) => values.reduce((a, b) => a + b, 0);
/**
 * Lets the event loop turn. An injected request completes in microtasks alone, so a loop of
 * them never reaches the loop's check phase: every `setImmediate` a request schedules (socket
 * clean-up in light-my-request) would wait, holding its request, until the loop ends — about
 * 10 KB a request, gigabytes over a run — or until some app's request turns the loop itself,
 * which would then be charged with all of them (express-session's MemoryStore answers through
 * `setImmediate`). Called after every request, outside its timing.
 */
export const turn = () => new Promise((resolve) => setImmediate(resolve));

/**
 * A bench app built, initialised and logged in, ready for `serveOne`. `spec` is `{ name, path,
 * dir? }`: a bench configuration, the route it is served on, and the directory whose
 * `bench/http-app.mjs` builds it (this checkout by default).
 */
export async function loadApp(spec) {
  const dir = spec.dir ?? new URL('../', import.meta.url).href;
  const { createApp } = await import(new URL('bench/http-app.mjs', dir).href);
  const app = await createApp(spec.name);
  await app.init();
  const platform = app.getHttpAdapter().getInstance();
  const send = spec.name.startsWith('fastify')
    ? (options) => platform.inject(options)
    : (options) => inject(platform, options);
  const jar = new CookieJar();
  jar.update(setCookieOf((await send({ method: 'GET', url: '/login' })).headers));
  return { app, send, jar };
}

/**
 * One request to a loaded app's route with its cookie jar, which keeps what the response set;
 * resolves to the nanoseconds it took. A status of 300 or more fails the run.
 */
export async function serveOne({ name, path, send, jar }) {
  const start = process.hrtime.bigint();
  const res = await send({ method: 'GET', url: path, headers: { cookie: jar.header } });
  const elapsed = Number(process.hrtime.bigint() - start);
  if (res.statusCode >= 300) throw new Error(`${name} ${path}: ${res.statusCode}`);
  jar.update(setCookieOf(res.headers));
  return elapsed;
}

/**
 * Serves `rounds` rounds of one request per app. `apps` are `{ name, path, dir? }`: a bench
 * configuration, the route it is loaded on, and the directory whose `bench/http-app.mjs` builds
 * it (this checkout by default). Resolves to each app with `batches` (ns per batch) and `micros`.
 */
export async function interleave(apps, { rounds, log = () => {} }) {
  const entries = [];
  for (const spec of apps) {
    const loaded = await loadApp(spec);
    entries.push({ ...spec, ...loaded, times: new Float64Array(BATCH), at: 0, batches: [] });
  }
  try {
    const serve = async (entry) => {
      entry.times[entry.at++] = await serveOne(entry);
    };
    const warmUp = Math.min(3_000, Math.ceil(rounds / 5));
    for (let i = 0; i < warmUp; i++) {
      for (const entry of entries) {
        await serve(entry);
        entry.at %= BATCH;
        await turn();
      }
    }
    for (const entry of entries) entry.at = 0;
    for (let round = 1; round <= rounds; round++) {
      // The order rotates, so that no app always runs right after the same other one.
      for (let k = 0; k < entries.length; k++) {
        await serve(entries[(round + k) % entries.length]);
        await turn(); // untimed: see turn()
      }
      if (round % BATCH !== 0) continue;
      for (const entry of entries) {
        entry.batches.push(sum(entry.times.sort().subarray(0, BATCH - DROPPED)));
        entry.at = 0;
      }
      if (round % (BATCH * 25) === 0) log(`${round}/${rounds} rounds`);
    }
  } finally {
    await Promise.all(entries.map(({ app }) => app.close()));
  }
  return entries.map(({ name, path, dir, batches }) => ({
    name,
    path,
    dir,
    batches,
    micros: sum(batches) / (batches.length * (BATCH - DROPPED)) / 1_000,
  }));
}

/**
 * Time per request of `b` over `a`'s, served in the same rounds (above 1: `b` is slower), with
 * its 95 % interval from 2 000 resamplings of the batches.
 */
export function timeRatio(a, b) {
  const n = Math.min(a.batches.length, b.batches.length);
  const samples = [];
  for (let r = 0; r < 2_000; r++) {
    let x = 0;
    let y = 0;
    for (let j = 0; j < n; j++) {
      const k = Math.floor(Math.random() * n);
      x += a.batches[k];
      y += b.batches[k];
    }
    samples.push(y / x);
  }
  samples.sort((p, q) => p - q);
  return { ratio: sum(b.batches) / sum(a.batches), low: samples[50], high: samples[1_949] };
}
