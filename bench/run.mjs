// `npm run bench`: codec, HTTP (with bounds), hostile-header and memory benches against the
// peers, on Node 20, 22 and 24, as markdown on stdout (progress on stderr; a copy goes to the
// repository's output/). Options: --quick (a ~4 minute smoke run on the current Node, numbers
// not for quoting), --node=20,24 (which Node majors serve the HTTP tables),
// --only=codec,http,inprocess,hostile,memory (a subset).
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { runCodec } from './codec.mjs';
import { pinBench } from './cpu-pinning.mjs';
import { acrossNodes, httpRuns, httpTable, renewTable } from './contenders.mjs';
import { mb } from './format.mjs';
import { runHostile } from './hostile.mjs';
import { CONNECTIONS } from './http-load.mjs';
import { measure } from './http.mjs';
import { runMemory } from './memory.mjs';
import { runSealCacheMemory } from './seal-cache-memory.mjs';
import { CURRENT_MAJOR, nodeBinaries } from './node-versions.mjs';
import { inProcessTable } from './in-process-report.mjs';
import { targets } from './targets.mjs';

const ROOT = new URL('../', import.meta.url);
const arg = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const quick = process.argv.includes('--quick');
const only = new Set((arg('only') ?? 'codec,http,inprocess,hostile,memory').split(','));
const majors = arg('node')
  ? arg('node').split(',').map(Number)
  : quick
    ? [CURRENT_MAJOR]
    : [...new Set([CURRENT_MAJOR, 20, 22, 24])];

// Sized so that the full run stays near 40 minutes with three Nodes on a 2-core machine.
const PLAN = quick
  ? {
      codec: { rounds: 2, budgetMs: 40 },
      http: { rounds: 2, seconds: 0.8, warmSeconds: 0.4, primeSeconds: 0.2 },
      hostile: { rounds: 2, seconds: 0.5, warmSeconds: 0.3 },
      memory: { first: 1_000, total: 10_000, maxSeconds: 12 },
      inprocess: { rounds: 600 },
    }
  : {
      // Many short rounds: the median then shrugs off a round that another process disturbed.
      codec: { rounds: 11, budgetMs: 120 },
      // 2 s of warm-up per run at the start: a server loaded for 1 s still costs up to twice
      // its steady CPU per request in the next second (the JIT is not done). Then 0.5 s of
      // uncounted load before every measured run: a server back from waiting ~50 s for the
      // other runs of its round costs more CPU per request in its first second than in the
      // next (tools/idle-cost.mjs), which weighed most on servers that serve one route (the
      // bounds, Fastify's autoRenew: false) and so wait longest.
      http: { rounds: 5, seconds: 1.2, warmSeconds: 2, primeSeconds: 0.5 },
      hostile: { rounds: 3, seconds: 1, warmSeconds: 0.5, primeSeconds: 0.3 },
      memory: { first: 10_000, total: 200_000, maxSeconds: 100 },
      // Rounds of one request per contender, per (platform, route) group: ~1 minute per Node.
      inprocess: { rounds: 8_000 },
    };

const pinning = pinBench();
const log = (line) => process.stderr.write(`[bench ${(performance.now() / 1000) | 0}s] ${line}\n`);
const loadavg = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');
// More runnable processes over the last minute than this bench's own two (server + load).
const busy = () => os.loadavg()[0] > os.cpus().length + 0.5;

/** A package's version as the bench resolves it (bench/node_modules, then the root's). */
function version(name) {
  try {
    const require = createRequire(import.meta.url);
    const dir = require.resolve.paths(name).find((p) => {
      try {
        readFileSync(`${p}/${name}/package.json`);
        return true;
      } catch {
        return false;
      }
    });
    return JSON.parse(readFileSync(`${dir}/${name}/package.json`, 'utf8')).version;
  } catch {
    return '?';
  }
}

function machineFacts(nodes) {
  const cpus = os.cpus();
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT }).toString().trim();
  } catch {}
  const own = JSON.parse(readFileSync(new URL('package.json', ROOT), 'utf8'));
  const peers = ['@nestjs/core', 'express', 'fastify', '@fastify/secure-session'].concat([
    'iron-session',
    'cookie-session',
    'express-session',
    'autocannon',
  ]);
  const served = nodes.map((n) =>
    n.error ? `Node ${n.major}: unavailable (${n.error})` : n.version,
  );
  return [
    `- ${own.name} ${own.version} (commit ${commit}), ${quick ? '**--quick: smoke run, do not quote**' : 'full run'}`,
    `- ${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, ${mb(os.totalmem())} RAM, ${os.type()} ${os.release()}`,
    `- bench process (codec, load generator, hostile headers, memory): Node ${process.version}; HTTP servers on: ${served.join(', ')}`,
    `- CPU: ${pinning}`,
    `- load average at start ${loadavg()}${busy() ? ' — **busy machine: trust the CPU ratios more than req/s**' : ''}`,
    `- ${peers.map((p) => `${p} ${version(p)}`).join(', ')}`,
  ].join('\n');
}

const results = { node: process.version, http: [], inProcess: [] };
const out = [];
const nodes = only.has('http') || only.has('inprocess') ? await nodeBinaries(majors, log) : [];
const section = (title, ...body) => out.push(`## ${title}\n`, ...body, '');

if (only.has('codec')) {
  log('codec…');
  results.codec = await runCodec({ ...PLAN.codec, log });
  section(
    `Codec (Node ${process.version}; medians of ${PLAN.codec.rounds} interleaved rounds; round trip = 1 / (1/seal + 1/open))`,
    results.codec.markdown,
  );
}
for (const node of only.has('http') ? nodes : []) {
  if (node.error) {
    section(`HTTP on Node ${node.major}`, `unavailable: ${node.error}`);
    continue;
  }
  log(`http on Node ${node.version}…`);
  const runs = await measure(httpRuns(), { ...PLAN.http, execPath: node.execPath, log });
  results.http.push({ node, runs });
  const p = PLAN.http;
  section(
    `HTTP on Node ${node.version} (NestJS 12, ${CONNECTIONS} browser-like connections, ${p.seconds} s × ${p.rounds} interleaved rounds; ratios are medians of per-round ratios)`,
    httpTable(runs),
  );
  section(
    `/plain: default options next to autoRenew: false (Node ${node.version})`,
    renewTable(runs),
  );
}
for (const node of only.has('inprocess') ? nodes : []) {
  if (node.error) continue;
  log(`in process on Node ${node.version}…`);
  const groups = await inProcessOn(node.execPath, PLAN.inprocess.rounds);
  results.inProcess.push({ node, groups });
  section(
    `In process on Node ${node.version} (NestJS 12; every contender of a route served in one process, one request each in turn, loaded twice in mirrored order, ${PLAN.inprocess.rounds.toLocaleString('en-US')} rounds; no sockets)`,
    inProcessTable(groups),
  );
}
if (results.http.length > 1) {
  section(
    'HTTP ratios to "no session" across Node versions (req/s / server CPU)',
    acrossNodes(results.http),
  );
}
if (only.has('hostile')) {
  log('hostile headers…');
  results.hostile = await runHostile({ ...PLAN.hostile, log });
  const p = PLAN.hostile;
  section(
    `Hostile Cookie headers (nest-cookie-session, default options, Node ${process.version}; ${p.seconds} s × ${p.rounds} interleaved rounds)`,
    results.hostile.markdown,
  );
}
if (only.has('memory')) {
  log('memory…');
  results.memory = await runMemory({ ...PLAN.memory, log });
  section(
    `Memory (Node ${process.version}; heapUsed after gc, /count from browser-like connections; legs capped at ${PLAN.memory.maxSeconds / 4} s and ${PLAN.memory.maxSeconds} s)`,
    results.memory.markdown,
  );
  section(
    `Remembered seals when the cache is full (Node ${process.version}; heapUsed after gc, one app's cache)`,
    runSealCacheMemory(),
  );
}
section('Targets', targets(results));
out.push(
  `Load average at end: ${loadavg()}${busy() ? ' (busy: other processes shared the cores)' : ''}`,
);

/** The in-process groups of in-process-run.mjs, run on the given Node. */
function inProcessOn(execPath, rounds) {
  return new Promise((resolve, reject) => {
    const child = execFile(
      execPath,
      [
        '--no-deprecation',
        fileURLToPath(new URL('in-process-run.mjs', import.meta.url)),
        `--rounds=${rounds}`,
      ],
      { maxBuffer: 64 << 20 },
      (error, stdout) => (error ? reject(error) : resolve(JSON.parse(stdout))),
    );
    child.stderr.on('data', (chunk) => process.stderr.write(chunk));
  });
}

const markdown = [`# nest-cookie-session bench\n`, machineFacts(nodes), '', ...out].join('\n');
console.log(markdown);
mkdirSync(new URL('output/', ROOT), { recursive: true });
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
writeFileSync(new URL(`output/bench-${stamp}.md`, ROOT), `${markdown}\n`);
