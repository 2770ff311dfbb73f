// `npm run bench`: codec, HTTP and memory benches against the peers, as markdown on stdout
// (progress on stderr; a copy goes to output/). `--quick` is a ~2 minute smoke run whose
// numbers are not for quoting; `--only=codec,http,bounds,memory` runs a subset.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { LABELS as INGREDIENTS, runAttribution } from './attribution.mjs';
import { runCodec } from './codec.mjs';
import { runHttp } from './http.mjs';
import { runMemory } from './memory.mjs';
import { mb, table } from './format.mjs';

const ROOT = new URL('../', import.meta.url);
const quick = process.argv.includes('--quick');
const onlyArg = process.argv.find((a) => a.startsWith('--only='));
const only = new Set(onlyArg ? onlyArg.slice(7).split(',') : ['codec', 'http', 'bounds', 'memory']);

// Sized so that the full run stays within ~8 minutes on a 2-core machine.
const PLAN = quick
  ? {
      codec: { rounds: 2, budgetMs: 40 },
      http: { rounds: 2, seconds: 1, warmSeconds: 0.5 },
      bounds: { rounds: 2, seconds: 1, warmSeconds: 0.5 },
      memory: { first: 1_000, total: 10_000, maxSeconds: 12 },
    }
  : {
      // Many short rounds: the median then shrugs off a round that another process disturbed.
      codec: { rounds: 11, budgetMs: 120 },
      // More, shorter rounds: on a shared machine the median of many paired rounds is steadier.
      http: { rounds: 6, seconds: 1.75, warmSeconds: 1 },
      bounds: { rounds: 6, seconds: 1.75, warmSeconds: 1 },
      memory: { first: 10_000, total: 200_000, maxSeconds: 100 },
    };

const log = (line) => process.stderr.write(`[bench ${(performance.now() / 1000) | 0}s] ${line}\n`);
const loadavg = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');
// More runnable processes over the last minute than this bench's own two (server + load).
const busy = () => os.loadavg()[0] > os.cpus().length + 0.5;

function version(name) {
  return JSON.parse(readFileSync(new URL(`node_modules/${name}/package.json`, ROOT), 'utf8'))
    .version;
}

function machineFacts() {
  const cpus = os.cpus();
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT }).toString().trim();
  } catch {}
  const own = JSON.parse(readFileSync(new URL('package.json', ROOT), 'utf8'));
  const peers = [
    '@nestjs/core',
    '@nestjs/platform-express',
    '@nestjs/platform-fastify',
    'express',
    'fastify',
    '@fastify/secure-session',
    'sodium-native',
    'iron-session',
    'cookie-session',
    'keygrip',
    'express-session',
    'autocannon',
  ];
  const warning = busy()
    ? ' — **busy machine: req/s ratios will be noisy, trust the CPU ratios more**'
    : '';
  return [
    `- ${own.name} ${own.version} (commit ${commit}), ${quick ? '**--quick: smoke run, do not quote**' : 'full run'}`,
    `- ${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, ${mb(os.totalmem())} RAM, ${os.type()} ${os.release()}`,
    `- Node ${process.version}; load average at start ${loadavg()}${warning}`,
    `- ${peers.map((p) => `${p} ${version(p)}`).join(', ')}`,
  ].join('\n');
}

/** The bounds section's ratio for `kind` on `platform` ('' when it was not run). */
function boundOf(bounds, platform, kind) {
  const r = bounds?.results.find((x) => x.platform === platform && x.kind === kind);
  return r ? `${INGREDIENTS[kind]}: ${r.ratio.toFixed(2)}× (${r.cpuRatio.toFixed(2)}× by CPU)` : '';
}

function targets({ codec, http, bounds, memory }) {
  const rows = [];
  const check = (what, measured, ok, bound = '') =>
    rows.push([what, measured, ok ? 'met' : '**missed**', ok ? '' : bound]);
  for (const size of codec?.sizes ?? []) {
    const r = codec.results.find((x) => x.size === size && x.name === 'nest-cookie-session');
    const x = (v) => `${v.toFixed(2)}×`;
    check(
      `codec round trip ≥ 1.0× @fastify/secure-session, ${size}`,
      x(r.vsFastify),
      r.vsFastify >= 1,
    );
    check(`codec round trip ≥ 1.0× floor, ${size}`, x(r.vsFloor), r.vsFloor >= 1);
    const floor = codec.results.find((c) => c.size === size && c.name.startsWith('floor'));
    rows.at(-2)[3] = rows.at(-2)[2] === 'met' ? '' : `the floor itself: ${x(floor.vsFastify)}`;
  }
  const goals = [
    ['express', '/count', 'ours', 0.9],
    ['fastify', '/count', 'ours', 0.75],
    ['express', '/plain', 'ours-norenew', 0.97],
    ['fastify', '/plain', 'ours-norenew', 0.97],
  ];
  for (const [platform, path, kind, min] of http ? goals : []) {
    const r = http.results.find(
      (x) => x.platform === platform && x.path === path && x.kind === kind,
    );
    const what = kind === 'ours' ? path : `${path}, autoRenew: false`;
    // Judged on req/s, as the issue says; the CPU ratio shows whether noise decided it.
    // What the same bare app pays before any code of ours: node:crypto itself on /count, the
    // contract's global interceptor and SessionService's AsyncLocalStorage on /plain.
    const bound = [kind === 'ours' ? 'floor' : 'interceptor-bare', 'interceptor-bare+als-run']
      .map((k) => boundOf(bounds, platform, k))
      .filter(Boolean)
      .join('; ');
    check(
      `${what} ≥ ${min.toFixed(2)}× no session, ${platform}`,
      `${r.ratio.toFixed(2)}× req/s (${r.cpuRatio.toFixed(2)}× by CPU)`,
      r.ratio >= min,
      bound,
    );
  }
  for (const r of memory?.results ?? []) {
    const ok = r.growth < 5 * 1024 * 1024;
    check(`heap growth < 5 MB, ${r.name} (${r.requests} requests)`, mb(r.growth), ok);
  }
  return table(['target', 'measured', '', 'bounded by (same run, same bare app)'], rows);
}

const out = [`# nest-cookie-session bench\n`, machineFacts(), ''];
const results = {};
if (only.has('codec')) {
  log('codec…');
  results.codec = await runCodec({ ...PLAN.codec, log });
  out.push(
    `## Codec (medians of ${PLAN.codec.rounds} interleaved rounds; round trip = 1 / (1/seal + 1/open))\n`,
    results.codec.markdown,
    '',
  );
}
if (only.has('http')) {
  log('http…');
  const p = PLAN.http;
  results.http = await runHttp({ ...p, log });
  out.push(
    `## HTTP (NestJS 12, 10 connections, ${p.seconds} s × ${p.rounds} interleaved rounds; ratios are medians of per-round ratios)\n`,
    results.http.markdown,
    '',
  );
}
if (only.has('bounds')) {
  log('bounds…');
  const p = PLAN.bounds;
  results.bounds = await runAttribution({ ...p, log });
  out.push(
    `## What bounds the HTTP ratios (/plain, ${p.seconds} s × ${p.rounds} interleaved rounds): the contract's parts and node:crypto, each alone in a bare Nest app\n`,
    results.bounds.markdown,
    '',
  );
}
if (only.has('memory')) {
  log('memory…');
  results.memory = await runMemory({ ...PLAN.memory, log });
  out.push(
    `## Memory (heapUsed after gc, /count replaying one cookie; the legs are capped at ${PLAN.memory.maxSeconds / 4} s and ${PLAN.memory.maxSeconds} s)\n`,
    results.memory.markdown,
    '',
  );
}
out.push('## Targets\n', targets(results), '');
out.push(
  `Load average at end: ${loadavg()}${busy() ? ' (busy: other processes shared the cores)' : ''}`,
);

const markdown = out.join('\n');
console.log(markdown);
mkdirSync(new URL('output/', ROOT), { recursive: true });
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
writeFileSync(new URL(`output/bench-${stamp}.md`, ROOT), `${markdown}\n`);
