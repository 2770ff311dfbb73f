// The in-process tables (in-process-run.mjs on each Node) and what they say of each target.
// Speeds are times per request inverted: "1.20× no session's speed" is 1/1.20 of its time.
import { LABELS } from './contenders.mjs';
import { num, table } from './format.mjs';
import { timeRatio } from './in-process.mjs';

// The HTTP tables' bound labels lean on the rows above them; here each stands alone.
const OWN_LABELS = {
  'interceptor-bare+als-run': 'bound: a global interceptor and AsyncLocalStorage.run',
  'als-run': 'bound: AsyncLocalStorage.run per request',
};
const labelOf = (kind) => OWN_LABELS[kind] ?? LABELS[kind] ?? kind;
const group = (groups, platform, path) =>
  groups.find((g) => g.platform === platform && g.path === path);
const served = (g, kind) => g?.served.find((s) => s.kind === kind);
/** Speed of `b` as a multiple of `a`'s, with its 95 % interval. */
function speed(a, b) {
  const { ratio, low, high } = timeRatio(b, a);
  return { ratio, low, high };
}
const x = ({ ratio, low, high }) => `${num(ratio, 2)}× (${num(low, 2)}–${num(high, 2)})`;

/** One table per Node: µs per request of each contender, its speed to no session's. */
export function inProcessTable(groups) {
  const rows = [];
  for (const g of groups) {
    const none = served(g, 'none');
    for (const s of g.served) {
      rows.push([
        `${g.platform} ${g.path}`,
        labelOf(s.kind),
        num(s.micros, 1),
        s === none ? '1' : x(speed(none, s)),
      ]);
    }
  }
  return table(['route', 'contender', 'µs / req', 'speed × no session (95 %)'], rows, 2);
}

/**
 * A target judged in process: ours against the peer, and against the contract bound (`bound`, a
 * diagnostics configuration): out of reach when the bound itself is slower than the target
 * needs.
 */
export function inProcessVerdict(groups, platform, path, kind, peer, min, bound) {
  const g = group(groups, platform, path);
  const [none, ours, them, floor] = ['none', kind, peer, bound].map((k) => served(g, k));
  if (!none || !ours || !them) return 'not measured in process';
  const vsPeer = speed(them, ours);
  const met = vsPeer.low >= min ? 'met' : vsPeer.high < min ? 'missed' : 'undecided';
  let text = `${met}: ${x(vsPeer)} the peer`;
  if (met !== 'met' && floor) {
    const need = min * speed(none, them).ratio;
    const reach = speed(none, floor).ratio;
    const over = ours.micros - floor.micros;
    text +=
      `; needs ${num(need, 2)}× no session's speed, the bound reaches ${num(reach, 2)}×` +
      ` (${reach < need ? 'out of reach' : 'within reach'}); ours takes ${num(over, 1)} µs a request more than the bound`;
  }
  return text;
}
