// `node bench/attribution.mjs [--quick]` (after `npm run build`): what each ingredient of the
// module costs on a route that never touches the session, each added alone to a bare Nest app
// (see the diagnostics in http-server.mjs), next to the module itself with autoRenew: false.
import { expand, measure, runsTable } from './http.mjs';

const quick = process.argv.includes('--quick');
const LABELS = {
  none: 'nothing (baseline)',
  'als-enabled': 'AsyncLocalStorage enabled once (promise hooks on)',
  'als-run': 'AsyncLocalStorage.run per request (as the module does)',
  'interceptor-bare': 'a global interceptor returning next.handle()',
  interceptor: 'global interceptor: next.handle().pipe(tap())',
  'interceptor-bare+als-run':
    'a global interceptor returning next.handle() + AsyncLocalStorage.run per request',
  'on-headers': 'onHeaders(res, noop) per request',
  codec: 'SessionCodec open + seal + Set-Cookie per request (no module)',
  floor: 'the same with plain node:crypto AES-256-GCM (the codec bench floor)',
  'ours-norenew': 'nest-cookie-session, autoRenew: false',
};
const EXPRESS_ONLY = {
  'nest-middleware': "a Nest middleware forRoutes('*') calling next()",
  'req-state': 'a symbol-keyed object on req + onHeaders(res, noop)',
};
const kinds = Object.keys(LABELS);
const runs = expand([
  ['express', '/plain', [...kinds.slice(0, -1), ...Object.keys(EXPRESS_ONLY), kinds.at(-1)]],
  ['fastify', '/plain', kinds],
]);
Object.assign(LABELS, EXPRESS_ONLY);
const log = (line) => process.stderr.write(`${line}\n`);
await measure(
  runs,
  quick
    ? { rounds: 2, seconds: 1, warmSeconds: 0.5, log }
    : { rounds: 4, seconds: 3, warmSeconds: 2, log },
);
console.log(runsTable(runs, LABELS));
