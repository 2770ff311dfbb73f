// The targets table: each target judged on the req/s ratio measured in the same run (median of
// per-round ratios, spread beside it), with what bounds it quoted where it is missed.
import { perRound } from './http.mjs';
import { LABELS, find, spread } from './contenders.mjs';
import { mb, table } from './format.mjs';

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
const BOUND_NAMES = {
  'interceptor-bare': 'global interceptor',
  'als-run': 'AsyncLocalStorage.run',
  'interceptor-bare+als-run': 'both',
  floor: 'node:crypto open + seal',
};
const x = (v) => (Number.isFinite(v) ? `${v.toFixed(2)}×` : 'n/a');

/** What the same run measured against "no session" on this platform: ours, the peer, the bounds. */
function boundsOf(runs, platform, path, kind, peer) {
  const ratio = (p, k) => x(find(runs, platform, p, k)?.ratio?.median);
  const own = `× no session on ${path}: ${LABELS[kind]} ${ratio(path, kind)}, ${LABELS[peer]} ${ratio(path, peer)}`;
  const bare = Object.entries(BOUND_NAMES).map(([k, name]) => `${name} ${ratio('/plain', k)}`);
  return `${own}; bare apps on /plain: ${bare.join(', ')}`;
}

export function targets({ codec, http = [], memory, node }) {
  const rows = [];
  const check = (what, where, measured, ok, bound = '') =>
    rows.push([
      what,
      where,
      measured,
      ok === undefined ? 'n/a' : ok ? 'met' : '**missed**',
      ok === false ? bound : '',
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
      check(
        what,
        n.version,
        `${spread(r)}; by CPU ${x(cpu)}`,
        r.median >= min,
        boundsOf(runs, platform, path, kind, peer),
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
      `the floor: ${Math.round(floor.rt).toLocaleString('en-US')} round trips/s`,
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
  return table(['target', 'Node', 'measured (min–max)', '', 'measured in the same run'], rows, 5);
}
