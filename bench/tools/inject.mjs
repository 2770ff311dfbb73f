// `node bench/tools/inject.mjs [requests] [config:/route,…]` (after `npm run build`): µs per
// request of the bench's apps, requests injected in this process (light-my-request: no sockets,
// no load generator), one at a time with a browser's cookie jar, configurations interleaved
// round by round. Steadier than the HTTP tables for telling what a change in the module costs;
// not a substitute for them (no network stack, no concurrency).
import inject from 'light-my-request';
import { createApp } from '../http-app.mjs';
import { CookieJar, setCookieOf } from '../cookie-jar.mjs';
import { num, table } from '../format.mjs';

const requests = Number(process.argv[2] ?? 400);
const ROUNDS = Number(process.env.ROUNDS ?? 21);
const DEFAULT = [
  'express-none:/read',
  'express-ours:/read',
  'express-cookie-session:/read',
  'express-none:/count',
  'express-ours:/count',
  'express-cookie-session:/count',
  'fastify-none:/read',
  'fastify-ours:/read',
  'fastify-ours-nointerceptor:/read',
  'fastify-secure-session:/read',
  'fastify-none:/count',
  'fastify-ours:/count',
  'fastify-ours-nointerceptor:/count',
  'fastify-secure-session:/count',
];
const runs = (process.argv[3]?.split(',') ?? DEFAULT).map((pair) => {
  const [name, path] = pair.split(':');
  return { name, path, samples: [] };
});

const apps = new Map();
async function dispatcherOf(name) {
  if (!apps.has(name)) {
    const app = await createApp(name);
    await app.init();
    const platform = app.getHttpAdapter().getInstance();
    const send = name.startsWith('fastify')
      ? (options) => platform.inject(options)
      : (options) => inject(platform, options);
    apps.set(name, { app, send });
  }
  return apps.get(name).send;
}

/** `count` requests to `path`, each sending what the previous response set. */
async function drive(send, path, count) {
  const jar = new CookieJar();
  const first = await send({ method: 'GET', url: '/login' });
  jar.update(setCookieOf(first.headers));
  for (let i = 0; i < count; i++) {
    const res = await send({ method: 'GET', url: path, headers: { cookie: jar.header } });
    if (res.statusCode >= 300) throw new Error(`${path}: ${res.statusCode}`);
    jar.update(setCookieOf(res.headers));
  }
}

for (const run of runs) await drive(await dispatcherOf(run.name), run.path, requests / 4); // warm-up
for (let round = 0; round < ROUNDS; round++) {
  for (const run of runs) {
    const send = await dispatcherOf(run.name);
    const start = performance.now();
    await drive(send, run.path, requests);
    run.samples.push(((performance.now() - start) * 1000) / requests);
  }
  process.stderr.write(`round ${round + 1}/${ROUNDS}\n`);
}
await Promise.all([...apps.values()].map(({ app }) => app.close()));

const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
const baseline = (run) =>
  runs.find((r) => r.path === run.path && r.name === `${run.name.split('-')[0]}-none`);
console.log(
  `# In-process µs per request (Node ${process.version}; ${requests} requests × ${ROUNDS} interleaved rounds, medians)\n`,
);
console.log(
  table(
    ['configuration', 'route', 'µs / req', 'min–max', 'over no session'],
    runs.map((run) => {
      const m = median(run.samples);
      const base = baseline(run);
      return [
        run.name,
        run.path,
        num(m, 1),
        `${num(Math.min(...run.samples), 1)}–${num(Math.max(...run.samples), 1)}`,
        base && base !== run ? `+${num(m - median(base.samples), 1)}` : '',
      ];
    }),
  ),
);
