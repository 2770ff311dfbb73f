// `node bench/in-process-run.mjs --rounds=N` (started by run.mjs on each Node it measures):
// every contender of each (platform, route) group, with "no session" and the bounds that group's
// targets meet, served in one process one request each in turn (in-process.mjs). Writes JSON to
// stdout: [{ platform, path, served: [{ kind, micros, batches }] }].
import { interleave } from './in-process.mjs';

const EXPRESS = ['none', 'ours', 'cookie-session'];
const FASTIFY = ['none', 'ours', 'ours-nointerceptor', 'secure-session'];
/** The ingredient bounds of a route, then the contract bounds that judge its targets. */
const bounds = (platform, route, ingredients) => [
  ...ingredients,
  `contract-${route}`,
  ...(platform === 'fastify' ? [`contract-nointerceptor-${route}`] : []),
];
const INTERCEPTOR_AND_SCOPE = ['interceptor-bare+als-run'];
const GROUPS = [
  [
    'express',
    '/count',
    [
      ...EXPRESS,
      'express-session',
      ...bounds('express', 'count', ['interceptor-bare+als-run+floor']),
    ],
  ],
  ['express', '/read', [...EXPRESS, ...bounds('express', 'read', INTERCEPTOR_AND_SCOPE)]],
  ['express', '/plain', [...EXPRESS, ...bounds('express', 'plain', INTERCEPTOR_AND_SCOPE)]],
  [
    'fastify',
    '/count',
    [
      ...FASTIFY,
      ...bounds('fastify', 'count', ['interceptor-bare+als-run+floor', 'als-run+floor']),
    ],
  ],
  [
    'fastify',
    '/read',
    [...FASTIFY, ...bounds('fastify', 'read', [...INTERCEPTOR_AND_SCOPE, 'als-run'])],
  ],
  [
    'fastify',
    '/plain',
    [...FASTIFY, ...bounds('fastify', 'plain', [...INTERCEPTOR_AND_SCOPE, 'als-run'])],
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
