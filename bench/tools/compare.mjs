// `node bench/tools/compare.mjs [--requests=N] spec spec …` (after `npm run build`): what one
// configuration or one build costs next to another, to a few per cent, on a machine whose
// throughput drifts by tens of per cent from one second to the next.
//
// A spec is `configuration:/route`, optionally `@revision` (any git revision: that commit's
// `lib/` is built into .tmp/compare/ and served by the same bench apps). Every app lives in this
// process and gets one request in turn, round after round, so a slow spell of the machine falls
// on all of them alike; requests are injected (no sockets, no load generator), each app with a
// browser's cookie jar. Times are summed per batch of rounds; the ratio to the first spec is the
// ratio of the sums, with a 95 % interval from resampling the batches. What it cannot show: the
// network stack, concurrency, and a server's own garbage collector (all apps share one heap).
//
//   node bench/tools/compare.mjs fastify-ours:/count@HEAD~1 fastify-ours:/count
//   node bench/tools/compare.mjs fastify-als-run+floor:/count fastify-ours-nointerceptor:/count
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import inject from 'light-my-request';
import { CookieJar, setCookieOf } from '../cookie-jar.mjs';
import { num, table } from '../format.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BATCH = 200;
const DROPPED = 4;
const args = process.argv.slice(2);
const rounds = Number(args.find((a) => a.startsWith('--requests='))?.split('=')[1] ?? 20_000);
const specs = args.filter((a) => !a.startsWith('--'));
if (specs.length < 2) {
  console.error('usage: node bench/tools/compare.mjs [--requests=N] config:/route[@rev] …');
  process.exit(2);
}

/** A directory holding `dist/` built from `revision` and a copy of the bench apps beside it. */
function buildOf(revision) {
  const git = (...a) => execFileSync('git', a, { cwd: ROOT, encoding: 'utf8' }).trim();
  const sha = git('rev-parse', '--verify', `${revision}^{commit}`);
  const dir = `${ROOT}.tmp/compare/${sha.slice(0, 12)}/`;
  if (!existsSync(`${dir}dist/index.js`)) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const archive = execFileSync(
      'git',
      ['archive', sha, 'lib', 'tsconfig.json', 'tsconfig.build.json'],
      {
        cwd: ROOT,
        maxBuffer: 64 << 20,
      },
    );
    execFileSync('tar', ['-x', '-C', dir], { input: archive });
    execFileSync(process.execPath, [
      `${ROOT}node_modules/typescript/bin/tsc`,
      '-p',
      `${dir}tsconfig.build.json`,
    ]);
  }
  // The apps of this checkout, importing that build as ../dist.
  mkdirSync(`${dir}bench`, { recursive: true });
  for (const file of readdirSync(`${ROOT}bench`).filter((f) => f.endsWith('.mjs')))
    cpSync(`${ROOT}bench/${file}`, `${dir}bench/${file}`);
  if (!existsSync(`${dir}bench/node_modules`))
    symlinkSync(`${ROOT}bench/node_modules`, `${dir}bench/node_modules`);
  return dir;
}

const sum = (values) => values.reduce((a, b) => a + b, 0);
const apps = [];
for (const spec of specs) {
  const [config, revision] = spec.split('@');
  const [name, path] = config.split(':');
  const dir = revision === undefined ? ROOT : buildOf(revision);
  const { createApp } = await import(`${dir}bench/http-app.mjs`);
  const app = await createApp(name);
  await app.init();
  const platform = app.getHttpAdapter().getInstance();
  const send = name.startsWith('fastify')
    ? (options) => platform.inject(options)
    : (options) => inject(platform, options);
  const jar = new CookieJar();
  jar.update(setCookieOf((await send({ method: 'GET', url: '/login' })).headers));
  apps.push({ spec, path, app, send, jar, times: new Float64Array(BATCH), at: 0, batches: [] });
}

async function serve(entry) {
  const start = process.hrtime.bigint();
  const res = await entry.send({
    method: 'GET',
    url: entry.path,
    headers: { cookie: entry.jar.header },
  });
  entry.times[entry.at++] = Number(process.hrtime.bigint() - start);
  if (res.statusCode >= 300) throw new Error(`${entry.spec}: status ${res.statusCode}`);
  entry.jar.update(setCookieOf(res.headers));
}

const warmUp = Math.min(3_000, rounds / 5);
for (let i = 0; i < warmUp; i++) for (const entry of apps) await serve(entry);
for (const entry of apps) entry.at = 0;
for (let round = 1; round <= rounds; round++) {
  // The order rotates, so that no app always runs right after the same other one.
  for (let k = 0; k < apps.length; k++) await serve(apps[(round + k) % apps.length]);
  if (round % BATCH === 0) {
    for (const entry of apps) {
      // The slowest few requests of a batch are dropped: a full garbage collection of the
      // shared heap, or a stall of the machine, lands on whichever app was serving and would
      // swing that batch by several times. Scavenges, which every app causes, are frequent
      // enough to stay in.
      const times = entry.times.sort();
      entry.batches.push(sum(times.subarray(0, BATCH - DROPPED)));
      entry.at = 0;
    }
    if (round % (BATCH * 25) === 0) process.stderr.write(`${round}/${rounds} rounds\n`);
  }
}
await Promise.all(apps.map(({ app }) => app.close()));

/** The ratio of sums, and its 95 % interval from 2 000 resamplings of the batches. */
function ratioTo(base, entry) {
  const n = entry.batches.length;
  const samples = [];
  for (let r = 0; r < 2_000; r++) {
    let a = 0;
    let b = 0;
    for (let j = 0; j < n; j++) {
      const k = Math.floor(Math.random() * n);
      a += entry.batches[k];
      b += base.batches[k];
    }
    samples.push(a / b);
  }
  samples.sort((x, y) => x - y);
  return [sum(entry.batches) / sum(base.batches), samples[50], samples[1_949]];
}

const [base] = apps;
console.log(
  `# In-process cost per request (Node ${process.version}; ${rounds} rounds of one request each, interleaved)\n`,
);
console.log(
  table(
    ['spec', 'µs / req', `ratio to ${base.spec}`, '95 % interval'],
    apps.map((entry) => {
      const micros = sum(entry.batches) / (entry.batches.length * (BATCH - DROPPED)) / 1_000;
      const [ratio, low, high] = ratioTo(base, entry);
      return [
        entry.spec,
        num(micros, 1),
        entry === base ? '1' : `${num(ratio, 3)}×`,
        entry === base ? '' : `${num(low, 3)}–${num(high, 3)}`,
      ];
    }),
  ),
);
