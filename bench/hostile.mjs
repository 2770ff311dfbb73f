// Hostile Cookie headers against this module: what a request costs the server when its Cookie
// header is built to make reading the session cookie expensive, next to the same connection's
// benign header. Each connection logs in first; the hostile cookies are then sent before its own.
import { randomBytes } from 'node:crypto';
import { measure, perRound } from './http.mjs';
import { num, table } from './format.mjs';

/** Base64url garbage of `length` characters. */
const garbage = (length) => randomBytes(length).toString('base64url').slice(0, length);

/** Each hostile header, built from the session cookie's name and value after login. */
export const HEADERS = {
  benign: { label: 'benign (the session cookie alone)' },
  substring: {
    label: '(a) the name inside 24 other cookie names and values',
    build: (name) =>
      Array.from(
        { length: 24 },
        (_, i) =>
          [
            `x${name}${i}=v${i}`,
            `${name}_old${i}=${garbage(40)}`,
            `a${i}=${name}`,
            `b${i}=${name}=1`,
          ][i % 4],
      ),
  },
  chunks: {
    label: '(b) chunk-like cookies name.1 … name.19, each the seal’s first 8 characters + garbage',
    build: (name, seal) =>
      Array.from(
        { length: 19 },
        (_, i) => `${name}.${i + 1}=${seal.slice(0, 8)}${garbage(seal.length - 8)}`,
      ),
  },
  repeated: {
    label: '(c) the session cookie name 10 times (9 more: the seal’s first 8 characters + garbage)',
    build: (name, seal) =>
      Array.from({ length: 9 }, () => `${name}=${seal.slice(0, 8)}${garbage(seal.length - 8)}`),
  },
};

/** Runs for this module on both platforms, /plain and /count, one per header. */
function hostileRuns() {
  const runs = [];
  for (const platform of ['express', 'fastify']) {
    for (const path of ['/plain', '/count']) {
      for (const [kind, { build }] of Object.entries(HEADERS)) {
        const run = {
          platform,
          path,
          kind,
          server: `${platform}-ours`,
          group: `${platform} ${path}`,
        };
        run.baseline = kind === 'benign';
        // Computed once per connection, from what its login set.
        run.extra = (jar) => {
          const [name] = jar.names();
          const text = build ? build(name, jar.get(name)).join('; ') : '';
          run.bytes = text.length + jar.header.length + (text ? 2 : 0);
          return text;
        };
        runs.push(run);
      }
    }
  }
  return runs;
}

function hostileOverBenign(run, runs) {
  const benign = runs.find((r) => r.baseline && r.group === run.group);
  const { median, min, max } = perRound(run.cpu, benign.cpu);
  return Number.isFinite(median)
    ? `${median.toFixed(2)}× (${min.toFixed(2)}–${max.toFixed(2)})`
    : 'n/a';
}

export async function runHostile(options) {
  const runs = await measure(hostileRuns(), options);
  const rows = runs.map((run) => [
    run.platform,
    run.path,
    HEADERS[run.kind].label,
    run.error ? `n/a (${run.error})` : num(run.bytes),
    num(run.medianRps),
    num(run.medianCpu),
    run.baseline ? '' : hostileOverBenign(run, runs),
  ]);
  const headers = [
    'adapter',
    'route',
    'Cookie header',
    'bytes',
    'req/s (median)',
    'server CPU µs / req',
    'CPU / req × benign (min–max)',
  ];
  return { markdown: table(headers, rows, 3), results: runs };
}
