// `node bench/in-process-run.mjs --rounds=N` (started by run.mjs on each Node it measures):
// every contender of each (platform, route) group, with "no session" and the bounds that group's
// targets meet, served in one process one request each in turn (in-process.mjs). Writes JSON to
// stdout: [{ platform, path, served: [{ kind, micros, batches }] }].
import { interleave } from './in-process.mjs';

// Each group's bounds: the ingredients its targets were first judged by, then the contract
// bound (diagnostics.mjs) that judges them now.
const GROUPS = [
  [
    'express',
    '/count',
    [
      'none',
      'ours',
      'cookie-session',
      'express-session',
      'interceptor-bare+als-run+floor',
      'contract-count',
    ],
  ],
  [
    'express',
    '/read',
    ['none', 'ours', 'cookie-session', 'interceptor-bare+als-run', 'contract-read'],
  ],
  [
    'express',
    '/plain',
    ['none', 'ours', 'cookie-session', 'interceptor-bare+als-run', 'contract-plain'],
  ],
  [
    'fastify',
    '/count',
    [
      'none',
      'ours',
      'ours-nointerceptor',
      'secure-session',
      'interceptor-bare+als-run+floor',
      'als-run+floor',
      'contract-count',
      'contract-nointerceptor-count',
    ],
  ],
  [
    'fastify',
    '/read',
    [
      'none',
      'ours',
      'ours-nointerceptor',
      'secure-session',
      'interceptor-bare+als-run',
      'als-run',
      'contract-read',
      'contract-nointerceptor-read',
    ],
  ],
  [
    'fastify',
    '/plain',
    [
      'none',
      'ours',
      'ours-nointerceptor',
      'secure-session',
      'interceptor-bare+als-run',
      'als-run',
      'contract-plain',
      'contract-nointerceptor-plain',
    ],
  ],
];

const rounds = Number(process.argv.find((a) => a.startsWith('--rounds='))?.split('=')[1] ?? 8_000);
const groups = [];
for (const [platform, path, kinds] of GROUPS) {
  process.stderr.write(`[in process ${process.version}] ${platform} ${path}…\n`);
  const served = await interleave(
    kinds.map((kind) => ({ kind, name: `${platform}-${kind}`, path })),
    { rounds },
  );
  groups.push({
    platform,
    path,
    served: served.map(({ name, micros, batches }, i) => ({
      kind: kinds[i],
      name,
      micros,
      batches,
    })),
  });
}
process.stdout.write(JSON.stringify(groups));
