// On a machine with two or more cores, the HTTP servers run on core 0 and the bench itself (the
// load generator) on the others, so that the two never take CPU time from each other: without
// this, a server's figures depend on how the scheduler shared two cores between two busy
// processes. Linux only (taskset, from util-linux); elsewhere, or on one core, nothing is pinned.
import { spawnSync } from 'node:child_process';
import os from 'node:os';

const SERVER_CPUS_VARIABLE = 'BENCH_SERVER_CPUS';

/** Pins every thread of process `pid` to `cpus` (taskset list syntax); false when it could not. */
function pin(pid, cpus) {
  const result = spawnSync('taskset', ['-a', '-p', '-c', cpus, String(pid)], { stdio: 'ignore' });
  return result.status === 0;
}

/**
 * Called once by the bench: pins itself to cores 1… and tells the servers it forks (through
 * the environment they inherit) to pin themselves to core 0. Returns what was done, for the report.
 */
export function pinBench() {
  const cores = os.availableParallelism();
  if (cores < 2) return 'not pinned (one core)';
  const bench = cores === 2 ? '1' : `1-${cores - 1}`;
  if (!pin(process.pid, bench)) return 'not pinned (taskset unavailable)';
  process.env[SERVER_CPUS_VARIABLE] = '0';
  return `servers pinned to core 0, load generator to core${cores === 2 ? '' : 's'} ${bench}`;
}

/** Called by a forked server as it starts: takes the core the bench chose, if it chose one. */
export function pinServer() {
  const cpus = process.env[SERVER_CPUS_VARIABLE];
  if (cpus) pin(process.pid, cpus);
}
