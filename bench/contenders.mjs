// Who is measured on which route, and the HTTP tables made of it. Every (platform, route) group
// has "no session" as its baseline; the bounds rows are bare Nest apps holding one thing the
// module cannot do without, measured on /plain next to the same baseline.
import { perRound } from './http.mjs';
import { num, table } from './format.mjs';

export const LABELS = {
  none: 'no session (baseline)',
  ours: 'nest-cookie-session',
  'ours-norenew': 'nest-cookie-session, autoRenew: false',
  'ours-nointerceptor': 'nest-cookie-session, globalInterceptor: false',
  'cookie-session': 'cookie-session',
  'express-session': 'express-session (MemoryStore)',
  'secure-session': '@fastify/secure-session',
  'interceptor-bare': 'bound: a global interceptor returning next.handle()',
  'als-run': 'bound: AsyncLocalStorage.run per request',
  'interceptor-bare+als-run': 'bound: both of the above',
  floor: 'bound: node:crypto AES-256-GCM open + seal + Set-Cookie per request',
  'als-run+floor': 'bound: AsyncLocalStorage.run and the open + seal',
  'interceptor-bare+als-run+floor':
    'bound: global interceptor, AsyncLocalStorage.run and the open + seal',
  'contract-plain': 'contract bound, a route that never touches the session',
  'contract-read': 'contract bound, reading the session',
  'contract-count': 'contract bound, writing the session',
  'contract-nointerceptor-plain': 'contract bound without the interceptor, untouched',
  'contract-nointerceptor-read': 'contract bound without the interceptor, reading',
  'contract-nointerceptor-count': 'contract bound without the interceptor, writing',
};

const CONTENDERS = {
  express: ['none', 'ours', 'ours-norenew', 'cookie-session', 'express-session'],
  fastify: ['none', 'ours', 'ours-nointerceptor', 'secure-session'],
};
export const ROUTES = ['/count', '/read', '/plain'];
export const BOUNDS = [
  'interceptor-bare',
  'als-run',
  'interceptor-bare+als-run',
  'floor',
  'als-run+floor',
  'interceptor-bare+als-run+floor',
  'contract-plain',
  'contract-read',
  'contract-count',
];
/** Fastify only: the module's globalInterceptor: false has no Express target. */
const FASTIFY_BOUNDS = [
  'contract-nointerceptor-plain',
  'contract-nointerceptor-read',
  'contract-nointerceptor-count',
];

/** Every run of the HTTP section for one Node: contenders × routes, then the bounds on /plain. */
export function httpRuns() {
  const runs = [];
  const add = (platform, path, kind) =>
    runs.push({
      platform,
      path,
      kind,
      server: `${platform}-${kind}`,
      group: `${platform} ${path}`,
      baseline: kind === 'none',
    });
  for (const [platform, kinds] of Object.entries(CONTENDERS)) {
    for (const path of ROUTES) for (const kind of kinds) add(platform, path, kind);
    // Fastify's /plain without renewal, to set beside its default.
    if (platform === 'fastify') add(platform, '/plain', 'ours-norenew');
    for (const kind of BOUNDS) add(platform, '/plain', kind);
    if (platform === 'fastify') for (const kind of FASTIFY_BOUNDS) add(platform, '/plain', kind);
  }
  return runs;
}

export const find = (runs, platform, path, kind) =>
  runs.find((r) => r.platform === platform && r.path === path && r.kind === kind);

const x = (v) => (Number.isFinite(v) ? `${v.toFixed(2)}×` : 'n/a');
export const spread = (r) =>
  r && Number.isFinite(r.median)
    ? `${x(r.median)} (${r.min.toFixed(2)}–${r.max.toFixed(2)})`
    : 'n/a';

/** The detailed table of one Node's runs. */
export function httpTable(runs) {
  const rows = runs.map((run) => {
    const head = [run.platform, run.path, LABELS[run.kind] ?? run.kind];
    if (run.error) return [...head, `n/a (${run.error})`, '', '', '', ''];
    return [
      ...head,
      num(run.medianRps),
      run.baseline ? '1.00×' : spread(run.ratio),
      num(run.medianCpu),
      run.baseline ? '1.00×' : x(run.cpuRatio?.median),
      run.baseline ? '' : `${run.cpuOver >= 0 ? '+' : ''}${num(run.cpuOver)}`,
    ];
  });
  const headers = [
    'adapter',
    'route',
    'session',
    'req/s (median)',
    '× no session, req/s (min–max)',
    'server CPU µs / req',
    '× no session by CPU',
    'CPU µs / req over no session',
  ];
  return table(headers, rows, 3);
}

/** Contenders' req/s ratios to "no session", one column per Node. */
export function acrossNodes(perNode) {
  const [first] = perNode;
  const rows = first.runs
    .filter((r) => !r.baseline && !BOUNDS.includes(r.kind) && !FASTIFY_BOUNDS.includes(r.kind))
    .map((r) => [
      r.platform,
      r.path,
      LABELS[r.kind],
      ...perNode.map(({ runs }) => {
        const run = find(runs, r.platform, r.path, r.kind);
        if (!run || run.error) return 'n/a';
        return `${x(run.ratio?.median)} / ${x(run.cpuRatio?.median)}`;
      }),
    ]);
  const headers = [
    'adapter',
    'route',
    'session',
    ...perNode.map(({ node }) => `Node ${node.version}: req/s / CPU`),
  ];
  return table(headers, rows, 3);
}

/** /plain with default options next to /plain with autoRenew: false, per platform. */
export function renewTable(runs) {
  const rows = ['express', 'fastify'].map((platform) => {
    const cell = (kind) => {
      const run = find(runs, platform, '/plain', kind);
      return run?.error ? ['n/a', 'n/a'] : [spread(run?.ratio), num(run?.medianCpu)];
    };
    const a = find(runs, platform, '/plain', 'ours');
    const b = find(runs, platform, '/plain', 'ours-norenew');
    return [platform, ...cell('ours'), ...cell('ours-norenew'), x(perRound(a.cpu, b.cpu).median)];
  });
  const headers = [
    'adapter',
    'default: × no session',
    'default: CPU µs / req',
    'autoRenew: false: × no session',
    'autoRenew: false: CPU µs / req',
    'CPU default / autoRenew: false',
  ];
  return table(headers, rows);
}
