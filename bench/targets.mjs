// The targets table: each target judged on the req/s ratio measured in the same run (median of
// per-round ratios, spread beside it); a missed one says whether the contract bound measured in
// the same run puts it out of reach.
import { perRound } from './http.mjs';
import { LABELS, find, spread } from './contenders.mjs';
import { mb, table } from './format.mjs';
import { inProcessVerdict } from './in-process-report.mjs';

// [platform, route, our options, peer, at least]
const HTTP = [
  ['express', '/count', 'ours', 'cookie-session', 1.0],
  ['express', '/count', 'ours', 'express-session', 1.0],
  ['express', '/read', 'ours', 'cookie-session', 1.0],
  ['express', '/plain', 'ours', 'cookie-session', 1.0],
  ['fastify', '/count', 'ours', 'secure-session', 0.6],
  ['fastify', '/count', 'ours-nointerceptor', 'secure-session', 0.85],
  ['fastify', '/read', 'ours', 'secure-session', 1.0],
  ['fastify', '/read', 'ours-nointerceptor', 'secure-session', 1.2],
  ['fastify', '/plain', 'ours', 'secure-session', 0.75],
  ['fastify', '/plain', 'ours-nointerceptor', 'secure-session', 1.0],
];
/**
 * The bounds of each configuration and route, as bare apps of the bounds rows. `contract`
 * judges the target: everything the documented behaviour requires of any implementation, done
 * the cheapest way (diagnostics.mjs lists it: the cross-origin guard, the request scope, the
 * cookie lookup, on Fastify the raw request's accessors, with default options the sealing
 * interceptor; reading adds a fresh parse of the session's JSON and a change check before the
 * headers; writing adds one seal). `parts` is the older, smaller bound (what no session module
 * on Nest escapes), printed beside it.
 */
export const BOUND_OF = {
  ours: {
    '/count': { contract: 'contract-count', parts: 'interceptor-bare+als-run+floor' },
    '/read': { contract: 'contract-read', parts: 'interceptor-bare+als-run' },
    '/plain': { contract: 'contract-plain', parts: 'interceptor-bare+als-run' },
  },
  'ours-nointerceptor': {
    '/count': { contract: 'contract-nointerceptor-count', parts: 'als-run+floor' },
    '/read': { contract: 'contract-nointerceptor-read', parts: 'als-run' },
    '/plain': { contract: 'contract-nointerceptor-plain', parts: 'als-run' },
  },
};
const PARTS = {
  'interceptor-bare': 'a global interceptor',
  'als-run': 'an AsyncLocalStorage scope',
  floor: 'a node:crypto AES-256-GCM open + seal',
};
const x = (v) => (Number.isFinite(v) ? `${v.toFixed(2)}×` : 'n/a');

/**
 * Why a target was missed, from ratios to "no session" measured in the same run: the target
 * needs ours ≥ min × the peer's ratio; the contract bound sets how high any implementation of
 * the documented behaviour can get. Below the need, the target is out of reach (unless ours
 * measured above the bound, which then proves nothing); above it, the miss is ours to close.
 */
function boundOf(runs, platform, path, kind, peer, min) {
  const ratio = (p, k) => find(runs, platform, p, k)?.ratio?.median;
  const { contract, parts } = BOUND_OF[kind][path];
  const partsText = parts
    .split('+')
    .map((p) => PARTS[p])
    .join(', ');
  const need = min * ratio(path, peer);
  const reach = ratio('/plain', contract);
  const ours = ratio(path, kind);
  // A bound that ours beat in this run was measured low (a disturbed round): it proves nothing.
  const verdict = !(reach >= 0 && need >= 0)
    ? 'bound not measured'
    : reach >= need
      ? 'within the bound'
      : ours > reach
        ? 'bound inconclusive (ours measured above it)'
        : 'out of reach';
  return (
    `${verdict}: needs ${x(need)} of no session (${min.toFixed(2)} × ${LABELS[peer]}'s ${x(ratio(path, peer))}), ` +
    `ours ${x(ours)}; the contract bound: ${x(reach)} (a bare app with only ${partsText}: ` +
    `${x(ratio('/plain', parts))})`
  );
}

export function targets({ codec, http = [], inProcess = [], memory, node }) {
  const rows = [];
  const check = (what, where, measured, ok, bound = '', inProcessText = '') =>
    rows.push([
      what,
      where,
      measured,
      ok === undefined ? 'n/a' : ok ? 'met' : '**missed**',
      ok === false ? bound : '',
      inProcessText,
    ]);
  for (const [platform, path, kind, peer, min] of HTTP) {
    const what = `${platform} ${path}: ${LABELS[kind]} ≥ ${min.toFixed(2)}× ${LABELS[peer]}`;
    for (const { node: n, runs } of http) {
      const ours = find(runs, platform, path, kind);
      const them = find(runs, platform, path, peer);
      if (ours.error || them.error) {
        check(what, n.version, `n/a (${ours.error ?? them.error})`);
        continue;
      }
      const r = perRound(ours.rps, them.rps);
      const cpu = perRound(them.cpu, ours.cpu).median;
      const groups = inProcess.find((i) => i.node.version === n.version)?.groups ?? [];
      check(
        what,
        n.version,
        `${spread(r)}; by CPU ${x(cpu)}`,
        r.median >= min,
        boundOf(runs, platform, path, kind, peer, min),
        inProcessVerdict(groups, platform, path, kind, peer, min, BOUND_OF[kind][path].contract),
      );
    }
  }
  for (const size of codec?.sizes ?? []) {
    const r = codec.results.find((c) => c.size === size && c.name === 'nest-cookie-session');
    const floor = codec.results.find((c) => c.size === size && c.name.startsWith('floor'));
    check(
      `codec round trip ≥ 1.00× the node:crypto floor, ${size}`,
      node,
      x(r.vsFloor),
      r.vsFloor >= 1,
      `the floor: ${Math.round(floor.rt).toLocaleString('en-US')} round trips/s, doing less than ` +
        'any seal must (no authenticated times, key hint or cookie name; no one-spelling check)',
    );
  }
  for (const r of memory?.results ?? []) {
    check(
      `heap growth < 5 MB, ${r.name} /count (${r.requests.toLocaleString('en-US')} requests)`,
      node,
      mb(r.growth),
      r.growth < 5 * 1024 * 1024,
    );
  }
  return table(
    ['target', 'Node', 'measured (min–max)', '', 'measured in the same run', 'in process (95 %)'],
    rows,
    6,
  );
}
