// `node bench/tools/compare.mjs [--requests=N] spec spec …` (after `npm run build`): what one
// configuration or one build costs next to another, to a few per cent, served in one process
// one request each in turn (../in-process.mjs says how and what it cannot show).
//
// A spec is `configuration:/route`, optionally `@revision` (any git revision: that commit's
// `lib/` is built into .tmp/compare/ and served by this checkout's bench apps). Two copies of
// the same spec show the method's own bias (a few per cent here: the first app loaded tends to
// be served a little faster), so load each build twice, A B B A, and average. The other apps in
// the process move ratios too (docs/performance.md): compare with the same company.
//
//   node bench/tools/compare.mjs fastify-ours:/count@HEAD~1 fastify-ours:/count fastify-ours:/count fastify-ours:/count@HEAD~1
//   node bench/tools/compare.mjs fastify-als-run+floor:/count fastify-ours-nointerceptor:/count
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { num, table } from '../format.mjs';
import { interleave, timeRatio } from '../in-process.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const args = process.argv.slice(2);
const rounds = Number(args.find((a) => a.startsWith('--requests='))?.split('=')[1] ?? 20_000);
const specs = args.filter((a) => !a.startsWith('--'));
if (specs.length < 2) {
  console.error('usage: node bench/tools/compare.mjs [--requests=N] config:/route[@rev] …');
  process.exit(2);
}

/** A directory holding `dist/` built from `revision` and a copy of the bench apps beside it. */
function buildOf(revision) {
  const git = (...a) => execFileSync('git', a, { cwd: ROOT, encoding: 'utf8' }).trim();
  const sha = git('rev-parse', '--verify', `${revision}^{commit}`);
  const dir = `${ROOT}.tmp/compare/${sha.slice(0, 12)}/`;
  if (!existsSync(`${dir}dist/index.js`)) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const files = ['lib', 'tsconfig.json', 'tsconfig.build.json'];
    const archive = execFileSync('git', ['archive', sha, ...files], {
      cwd: ROOT,
      maxBuffer: 64 << 20,
    });
    execFileSync('tar', ['-x', '-C', dir], { input: archive });
    const tsc = `${ROOT}node_modules/typescript/bin/tsc`;
    execFileSync(process.execPath, [tsc, '-p', `${dir}tsconfig.build.json`]);
  }
  mkdirSync(`${dir}bench`, { recursive: true });
  for (const file of readdirSync(`${ROOT}bench`).filter((f) => f.endsWith('.mjs')))
    cpSync(`${ROOT}bench/${file}`, `${dir}bench/${file}`);
  if (!existsSync(`${dir}bench/node_modules`))
    symlinkSync(`${ROOT}bench/node_modules`, `${dir}bench/node_modules`);
  return pathToFileURL(dir).href;
}

const apps = specs.map((spec) => {
  const [config, revision] = spec.split('@');
  const [name, path] = config.split(':');
  return { spec, name, path, dir: revision === undefined ? undefined : buildOf(revision) };
});
const served = await interleave(apps, {
  rounds,
  log: (line) => process.stderr.write(`${line}\n`),
});
const [base] = served;
console.log(
  `# In-process cost per request (Node ${process.version}; ${rounds} rounds of one request each, interleaved)\n`,
);
console.log(
  table(
    ['spec', 'µs / req', `time over ${specs[0]}`, '95 % interval'],
    served.map((entry, i) => {
      const { ratio, low, high } = timeRatio(base, entry);
      return [
        specs[i],
        num(entry.micros, 1),
        i === 0 ? '1' : `${num(ratio, 3)}×`,
        i === 0 ? '' : `${num(low, 3)}–${num(high, 3)}`,
      ];
    }),
  ),
);
