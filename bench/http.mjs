// HTTP bench: one server process per configuration, all started up front and kept for every
// round; each (configuration, route) pair is loaded once per round, in a rotating order, so that
// drift in the machine's state spreads over all of them and ratios compare the same round.
import { firstCookie, load, startServer } from './http-load.mjs';
import { median, num, table } from './format.mjs';

const LABELS = {
  none: 'no session (baseline)',
  ours: 'nest-cookie-session',
  'ours-norenew': 'nest-cookie-session, autoRenew: false',
  'cookie-session': 'cookie-session middleware',
  'express-session': 'express-session (MemoryStore)',
  'secure-session': '@fastify/secure-session',
};

// /count reads, increments and returns a counter; /plain never touches the session.
const RUNS = [
  ['express', '/count', ['none', 'ours', 'cookie-session', 'express-session']],
  ['express', '/plain', ['none', 'ours', 'ours-norenew', 'cookie-session', 'express-session']],
  ['fastify', '/count', ['none', 'ours', 'secure-session']],
  ['fastify', '/plain', ['none', 'ours', 'ours-norenew', 'secure-session']],
];

// Baselines set no cookie: they get one of the same size, so every request carries as many bytes.
export const PLACEHOLDER = `session=${'x'.repeat(96)}`;

/** [platform, path, kinds] groups -> runs; the first kind of each group is its baseline. */
export function expand(groups) {
  return groups.flatMap(([platform, path, kinds]) =>
    kinds.map((kind, i) => ({
      platform,
      path,
      kind,
      server: `${platform}-${kind}`,
      baseline: i === 0,
    })),
  );
}

/**
 * Measures every run `rounds` times; adds to each its req/s and CPU µs/request per round and
 * the median of its per-round ratios to its group's baseline.
 */
export async function measure(runs, { rounds, seconds, warmSeconds, log }) {
  const servers = new Map();
  try {
    const names = [...new Set(runs.map((r) => r.server))];
    const started = await Promise.allSettled(names.map((name) => startServer(name)));
    started.forEach((s, i) => s.status === 'fulfilled' && servers.set(names[i], s.value));
    const failed = started.find((s) => s.status === 'rejected');
    if (failed) throw failed.reason;
    for (const run of runs) {
      const { port } = servers.get(run.server);
      run.cookie = (await firstCookie(port)) || PLACEHOLDER;
      run.rps = [];
      run.cpu = [];
      // Warm the JIT up on this route before anything is counted.
      await load({ port, path: run.path, cookie: run.cookie, seconds: warmSeconds });
    }
    log(`http: ${servers.size} servers up and warm, ${runs.length} runs × ${rounds} rounds`);

    for (let round = 0; round < rounds; round++) {
      for (let k = 0; k < runs.length; k++) {
        const run = runs[(k + round * 5) % runs.length];
        const server = servers.get(run.server);
        await server.call('cpu-start');
        const result = await load({
          port: server.port,
          path: run.path,
          cookie: run.cookie,
          seconds,
        });
        const cpu = await server.call('cpu-stop');
        run.rps.push(result.rps);
        run.cpu.push(cpu / result.requests);
      }
      log(`http round ${round + 1}/${rounds} done`);
    }
  } finally {
    await Promise.all([...servers.values()].map((s) => s.stop()));
  }
  for (const run of runs) {
    const base = runs.find((r) => r.baseline && r.platform === run.platform && r.path === run.path);
    // Ratio per round (both measured in that round), then the median of those ratios.
    run.ratio = median(run.rps.map((rps, i) => rps / base.rps[i]));
    run.medianRps = median(run.rps);
    run.medianCpu = median(run.cpu);
    run.extraCpu = median(run.cpu.map((cpu, i) => cpu - base.cpu[i]));
    // The same ratio from the server's CPU time per request: what a CPU-bound server's
    // throughput would be, and much steadier than req/s when other processes share the cores.
    run.cpuRatio = median(run.cpu.map((cpu, i) => base.cpu[i] / cpu));
  }
  return runs;
}

export function runsTable(runs, labels = LABELS) {
  const rows = runs.map((run) => [
    run.platform,
    run.path,
    labels[run.kind] ?? run.kind,
    num(run.medianRps),
    `${num(Math.min(...run.rps))}–${num(Math.max(...run.rps))}`,
    `${run.ratio.toFixed(2)}×`,
    num(run.medianCpu),
    `${run.cpuRatio.toFixed(2)}×`,
    run.baseline ? '' : `${run.extraCpu >= 0 ? '+' : ''}${num(run.extraCpu)}`,
  ]);
  const headers = [
    'adapter',
    'route',
    'session',
    'req/s (median)',
    'req/s (min–max)',
    '× baseline',
    'server CPU µs / req',
    '× baseline by CPU',
    'CPU µs / req over baseline',
  ];
  return table(headers, rows, 3);
}

export async function runHttp(options) {
  const results = await measure(expand(RUNS), options);
  return { markdown: runsTable(results), results };
}
