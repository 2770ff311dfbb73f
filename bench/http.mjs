// The HTTP measuring loop: one server process per configuration, all started up front (one
// after another) on one Node binary and kept for every round; each run (server, route, client)
// is loaded once per round, in a rotating order, so that drift in the machine's state spreads
// over all of them and every ratio compares two runs of the same round.
import { load, startServer } from './http-load.mjs';
import { median } from './format.mjs';

/**
 * A run: { server, path, first?, extra?, group, baseline? }. `group` ties a run to its baseline
 * (the run of the same group with `baseline: true`).
 */
export async function measure(runs, { execPath, rounds, seconds, warmSeconds, primeSeconds, log }) {
  const servers = new Map();
  try {
    const names = [...new Set(runs.map((r) => r.server))];
    // One at a time: the servers share one core (cpu-pinning.mjs), so starting them together
    // only slows every start down, and on a slow machine the last ones missed their timeout.
    const failures = new Map(); // server name -> why it did not start
    for (const name of names) {
      try {
        servers.set(name, await startServer(name, { execPath }));
      } catch (error) {
        failures.set(name, error.message);
        log(`${name} did not start: ${error.message}`);
      }
    }
    for (const run of runs) {
      run.rps = [];
      run.cpu = [];
      const server = servers.get(run.server);
      if (!server) {
        run.error = `did not start: ${failures.get(run.server)}`;
        continue;
      }
      // Warm the JIT up on this route before anything is counted.
      await attempt(run, () => load({ port: server.port, ...clientOf(run), seconds: warmSeconds }));
    }
    log(`${servers.size} servers up and warm, ${runs.length} runs × ${rounds} rounds`);
    for (let round = 0; round < rounds; round++) {
      for (let k = 0; k < runs.length; k++) {
        const run = runs[(k + round * 5) % runs.length];
        const server = servers.get(run.server);
        if (run.error) {
          run.rps[round] = run.cpu[round] = NaN;
          continue;
        }
        const result = await attempt(run, async () => {
          // A server that waited while the others ran costs more CPU per request in its first
          // second back (tools/idle-cost.mjs); uncounted load first, so that every run is
          // measured warm, however long its server waited.
          if (primeSeconds > 0)
            await load({ port: server.port, ...clientOf(run), seconds: primeSeconds });
          await server.call('cpu-start');
          const loaded = await load({ port: server.port, ...clientOf(run), seconds });
          return { ...loaded, cpu: await server.call('cpu-stop') };
        });
        run.rps[round] = result ? result.rps : NaN;
        run.cpu[round] = result ? result.cpu / result.requests : NaN;
      }
      log(`round ${round + 1}/${rounds} done`);
    }
  } finally {
    await Promise.all([...servers.values()].map((s) => s.stop()));
  }
  for (const run of runs) summarise(run, runs);
  return runs;
}

const clientOf = (run) => ({ path: run.path, first: run.first ?? '/login', extra: run.extra });

/** Runs `fn`; a failure marks the run (reported as n/a) instead of ending the bench. */
async function attempt(run, fn) {
  try {
    return await fn();
  } catch (error) {
    run.error = `failed: ${error.message}`;
    return undefined;
  }
}

/** Median and min–max of the per-round ratios a[i] / b[i] over rounds where both ran. */
export function perRound(a, b) {
  const ratios = a.map((v, i) => v / b[i]).filter(Number.isFinite);
  if (ratios.length === 0) return { median: NaN, min: NaN, max: NaN };
  return { median: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios) };
}

function summarise(run, runs) {
  const base = runs.find((r) => r.baseline && r.group === run.group);
  run.medianRps = median(run.rps);
  run.medianCpu = median(run.cpu);
  if (!base) return;
  run.ratio = perRound(run.rps, base.rps);
  // The same ratio from the server's CPU time per request: what a CPU-bound server's throughput
  // would be, and much steadier than req/s when other processes share the cores.
  run.cpuRatio = perRound(base.cpu, run.cpu);
  run.cpuOver = median(run.cpu.map((cpu, i) => cpu - base.cpu[i]));
}
