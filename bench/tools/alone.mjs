// `node bench/tools/alone.mjs [--requests=N] [--warm-up=N] [--processes=K] config:/route …`
// (after `npm run build`): each configuration served alone in a process of its own, as a
// server runs, so that no other app's code or objects share its process. The in-process tables
// and `compare.mjs` serve every contender in one process, where which apps share it and the
// order in which they were loaded move each app's cost (docs/performance.md); this tool checks
// their verdicts without either.
//
// Each process builds one app, serves a long warm-up (an app alone needs tens of thousands of
// requests before its cost settles), then N timed requests in 5 slices, injected (no sockets)
// with a browser's cookie jar and the event loop let turn after each, and reports its median
// slice. K processes per configuration take turns (A B C A B C …), pinned to core 0 as the
// full run pins its servers (`cpu-pinning.mjs`), so a slow spell of the machine falls on all of
// them; the table gives the median over processes, their range, and the ratio of medians to the
// first configuration.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { pinBench, pinServer } from '../cpu-pinning.mjs';
import { loadApp, serveOne, turn } from '../in-process.mjs';
import { median, num, table } from '../format.mjs';

const SLICES = 5;
const args = process.argv.slice(2);
const option = (name, fallback) =>
  Number(args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const requests = option('requests', 20_000);
const warmUp = option('warm-up', 40_000);
const processes = option('processes', 3);
const child = args.find((a) => a.startsWith('--child='))?.slice('--child='.length);

/** In a child: one app alone, its median µs per request over the slices, on stdout. */
async function serveAlone(spec) {
  pinServer();
  const [name, path] = spec.split(':');
  const entry = { name, path, ...(await loadApp({ name, path })) };
  try {
    for (let i = 0; i < warmUp; i++) {
      await serveOne(entry);
      await turn();
    }
    const slices = [];
    const perSlice = Math.ceil(requests / SLICES);
    for (let s = 0; s < SLICES; s++) {
      let total = 0;
      for (let i = 0; i < perSlice; i++) {
        total += await serveOne(entry);
        await turn(); // untimed, as in the in-process tables
      }
      slices.push(total / perSlice / 1_000);
    }
    process.stdout.write(JSON.stringify(median(slices)));
  } finally {
    await entry.app.close();
  }
}

/** In the parent: K processes per spec, taking turns, and the table. */
function compareAlone(specs) {
  const self = fileURLToPath(import.meta.url);
  // As in the full run: the apps (here the children, which inherit the choice) on core 0.
  const pinning = pinBench();
  const micros = new Map(specs.map((spec) => [spec, []]));
  for (let k = 0; k < processes; k++) {
    for (const spec of specs) {
      const argv = [self, `--child=${spec}`, `--requests=${requests}`, `--warm-up=${warmUp}`];
      const out = execFileSync(process.execPath, argv, {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      micros.get(spec).push(Number(out));
      process.stderr.write(`${spec}: process ${k + 1}/${processes}, ${num(Number(out))} µs\n`);
    }
  }
  const base = median(micros.get(specs[0]));
  console.log(
    `# Each configuration alone in its own process (Node ${process.version}; ${processes} ` +
      `processes each, ${num(warmUp)} requests of warm-up then ${num(requests)} timed; ` +
      `${pinning})\n`,
  );
  console.log(
    table(
      ['spec', 'µs / req (median of processes)', 'processes (min–max)', `time over ${specs[0]}`],
      specs.map((spec) => {
        const own = micros.get(spec);
        const range = `${num(Math.min(...own))}–${num(Math.max(...own))}`;
        return [spec, num(median(own)), range, `${(median(own) / base).toFixed(3)}×`];
      }),
    ),
  );
}

if (child !== undefined) await serveAlone(child);
else {
  const specs = args.filter((a) => !a.startsWith('--'));
  if (specs.length === 0) {
    console.error(
      'usage: node bench/tools/alone.mjs [--requests=N] [--processes=K] config:/route …',
    );
    process.exit(2);
  }
  compareAlone(specs);
}
