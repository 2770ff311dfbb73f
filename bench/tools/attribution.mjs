// `node bench/tools/attribution.mjs [--quick]` (after `npm run build`): what each ingredient of
// the module costs on a route that never touches the session, each added alone to a bare Nest
// app (the configurations of ../diagnostics.mjs), next to the module with autoRenew: false.
// `npm run bench` shows the few rows that bound its targets.
import { measure } from '../http.mjs';
import { num, table } from '../format.mjs';

const LABELS = {
  none: 'nothing (baseline)',
  'als-enabled': 'AsyncLocalStorage enabled once (promise hooks on)',
  'als-run': 'AsyncLocalStorage.run per request (as the module does)',
  'interceptor-bare': 'a global interceptor returning next.handle()',
  interceptor: 'global interceptor: next.handle().pipe(tap())',
  'interceptor-bare+als-run': 'a global interceptor + AsyncLocalStorage.run per request',
  'on-headers': 'onHeaders(res, noop) per request',
  codec: 'SessionCodec open + seal + Set-Cookie per request (no module)',
  floor: 'plain node:crypto AES-256-GCM open + seal + Set-Cookie per request',
  'ours-norenew': 'nest-cookie-session, autoRenew: false',
  'nest-middleware': "a Nest middleware forRoutes('*') calling next()",
  'req-state': 'a symbol-keyed object on req + onHeaders(res, noop)',
};
const EXPRESS_ONLY = ['nest-middleware', 'req-state'];

const quick = process.argv.includes('--quick');
const runs = [];
for (const platform of ['express', 'fastify']) {
  for (const kind of Object.keys(LABELS)) {
    if (platform === 'fastify' && EXPRESS_ONLY.includes(kind)) continue;
    const group = platform;
    runs.push({ platform, kind, path: '/plain', server: `${platform}-${kind}`, group });
    runs.at(-1).baseline = kind === 'none';
  }
}
await measure(runs, {
  log: (line) => process.stderr.write(`${line}\n`),
  ...(quick
    ? { rounds: 2, seconds: 1, warmSeconds: 0.5 }
    : { rounds: 4, seconds: 3, warmSeconds: 2 }),
});
const rows = runs.map((r) => [
  r.platform,
  LABELS[r.kind],
  r.error ? `n/a (${r.error})` : num(r.medianRps),
  r.baseline ? '' : `${r.ratio.median.toFixed(2)}×`,
  num(r.medianCpu),
  r.baseline ? '' : `${r.cpuOver >= 0 ? '+' : ''}${num(r.cpuOver)}`,
]);
const headers = [
  'adapter',
  'added to a bare app',
  'req/s',
  '× bare',
  'CPU µs / req',
  'CPU µs over bare',
];
console.log(table(headers, rows, 2));
