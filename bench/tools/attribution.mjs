// What each ingredient of the module costs on a route that never touches the session, each
// added alone to a bare Nest app (the diagnostics of diagnostics.mjs), next to the module itself
// with autoRenew: false. `npm run bench` runs the rows that bound the targets;
// `node bench/attribution.mjs [--quick]` (after `npm run build`) runs them all.
import { fileURLToPath } from 'node:url';
import { expand, measure, runsTable } from './http.mjs';

export const LABELS = {
  none: 'nothing (baseline)',
  'als-enabled': 'AsyncLocalStorage enabled once (promise hooks on)',
  'als-run': 'AsyncLocalStorage.run per request (as the module does)',
  'interceptor-bare': 'a global interceptor returning next.handle()',
  interceptor: 'global interceptor: next.handle().pipe(tap())',
  'interceptor-bare+als-run':
    'a global interceptor returning next.handle() + AsyncLocalStorage.run per request',
  'on-headers': 'onHeaders(res, noop) per request',
  codec: 'SessionCodec open + seal + Set-Cookie per request (no module)',
  floor:
    'plain node:crypto AES-256-GCM open + seal + Set-Cookie per request (the codec bench floor)',
  'ours-norenew': 'nest-cookie-session, autoRenew: false',
  'nest-middleware': "a Nest middleware forRoutes('*') calling next()",
  'req-state': 'a symbol-keyed object on req + onHeaders(res, noop)',
};

/** The rows `npm run bench` shows: what the contract and the platform cost before any of ours. */
export const BOUNDS = [
  'none',
  'interceptor-bare',
  'als-run',
  'interceptor-bare+als-run',
  'codec',
  'floor',
  'ours-norenew',
];
const ALL = Object.keys(LABELS).filter((k) => !['nest-middleware', 'req-state'].includes(k));
const EXPRESS_ONLY = ['nest-middleware', 'req-state'];

/** Measures `kinds` on /plain of both adapters; the first kind is the baseline. */
export async function runAttribution({ kinds = BOUNDS, expressOnly = [], ...options }) {
  const runs = expand([
    ['express', '/plain', [...kinds.slice(0, -1), ...expressOnly, kinds.at(-1)]],
    ['fastify', '/plain', kinds],
  ]);
  await measure(runs, options);
  return { markdown: runsTable(runs, LABELS), results: runs };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const quick = process.argv.includes('--quick');
  const log = (line) => process.stderr.write(`${line}\n`);
  const { markdown } = await runAttribution({
    kinds: ALL,
    expressOnly: EXPRESS_ONLY,
    log,
    ...(quick
      ? { rounds: 2, seconds: 1, warmSeconds: 0.5 }
      : { rounds: 4, seconds: 3, warmSeconds: 2 }),
  });
  console.log(markdown);
}
