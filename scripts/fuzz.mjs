#!/usr/bin/env node
/**
 * The long fuzz run against the built package (dist/): run `npm run build` first, or
 * `npm run fuzz`, which does. N fast-check cases (arbitrary strings, mutations of valid seals,
 * foreign seals; test/security/support/seal-fuzz.mjs, whose short version runs in `npm test`)
 * go through SessionCodec.open. It prints what it tried per family, how many opened and how
 * many crashed (both must be 0), and exits with 1 if any did.
 *
 * Usage: node scripts/fuzz.mjs [--cases N] [--seed N]
 *        node scripts/fuzz.mjs --include-valid --cases 5000   (self-check: must FAIL)
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import * as fc from 'fast-check';
import {
  Tally,
  buildFixture,
  isFailure,
  judgeCodec,
  mixedArbitrary,
} from '../test/security/support/seal-fuzz.mjs';

const DIST = new URL('../dist/index.js', import.meta.url);
const BATCH = 10_000;
/** Hard limit on the whole run: a bounded loop, whatever the machine. */
const TIME_LIMIT_MS = 30 * 60_000;
const n = (x) => Math.round(x).toLocaleString('en-US');

const USAGE = `Usage: node scripts/fuzz.mjs [options]   (after npm run build)
  --cases N    cases (default 1000000)
  --seed N     fast-check seed (default: random, printed): the same mutations, made on fresh
               seals; failing inputs are written to .tmp/fuzz-failures-<seed>.json
  --include-valid
               self-check: count the valid seals themselves as attacks, so the run must report
               some opened and FAIL (exit code 1)`;

function parseArgs(argv) {
  const options = {
    cases: 1_000_000,
    seed: Math.floor(Math.random() * 0x7fffffff),
    includeValid: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    }
    if (arg === '--include-valid') {
      options.includeValid = true;
      continue;
    }
    const [flag, inline] = arg.split('=', 2);
    const key = flag.replace(/^--/, '');
    const value = Number(inline ?? argv[++i]);
    if (!['cases', 'seed'].includes(key) || !Number.isSafeInteger(value) || value < 0) {
      console.error(`Bad argument ${arg}\n${USAGE}`);
      process.exit(2);
    }
    options[key] = value;
  }
  return options;
}

async function main({ cases, seed, includeValid }) {
  if (!existsSync(DIST)) {
    console.error('dist/index.js is missing: run `npm run build` first (or `npm run fuzz`).');
    process.exit(2);
  }
  const { SessionCodec } = await import(DIST.href);
  const started = Date.now();
  console.log(`fuzz: ${n(cases)} cases through SessionCodec.open; seed ${seed}`);
  const fixture = buildFixture(SessionCodec);
  const arbitrary = mixedArbitrary(fixture);
  const tally = new Tally();
  // The predicate always holds: every case is counted, none stops the run; failures are kept.
  const property = fc.property(arbitrary, (c) => {
    tally.record(
      c.family,
      judgeCodec(fixture.target, c.value, fixture, { skipValid: !includeValid }),
      c,
    );
    return true;
  });
  // Batches with their own seeds, reporting progress between them, within the time limit.
  // (With --include-valid, the valid seals join the cases so that some open.)
  for (let done = 0, batch = 0; done < cases; batch++) {
    if (Date.now() - started > TIME_LIMIT_MS) throw new Error('time limit reached');
    const runs = Math.min(BATCH, cases - done);
    fc.assert(property, { numRuns: runs, seed: (seed + batch * 104_729) | 0 });
    if (includeValid) {
      for (const value of fixture.valid) {
        tally.record(
          'valid seals',
          judgeCodec(fixture.target, value, fixture, { skipValid: false }),
          { value },
        );
      }
    }
    done += runs;
    const { opened, crashed } = tally.totals;
    console.log(`  ${n(done)} / ${n(cases)}: ${opened} opened, ${crashed} crashed`);
  }

  const width = Math.max(...[...tally.rows.keys()].map((family) => family.length));
  for (const [family, row] of [...tally.rows].sort(([a], [b]) => a.localeCompare(b))) {
    console.log(
      `  ${family.padEnd(width)}  ${n(row.tried)} tried, ${n(row.skipped)} skipped as valid seals, ` +
        `${n(row.opened)} opened, ${n(row.crashed)} crashed`,
    );
  }
  const { tried, opened, crashed } = tally.totals;
  const ok = opened === 0 && crashed === 0;
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(
    `${ok ? 'PASS' : 'FAIL'}: ${n(tried)} cases tried, ${n(opened)} opened, ${n(crashed)} crashed; ` +
      `${seconds} s, seed ${seed}`,
  );
  if (!ok) writeFailures(seed, tally.failures);
  process.exitCode = ok ? 0 : 1;
}

function writeFailures(seed, failures) {
  mkdirSync(new URL('../.tmp/', import.meta.url), { recursive: true });
  const file = new URL(`../.tmp/fuzz-failures-${seed}.json`, import.meta.url);
  writeFileSync(file, JSON.stringify(failures, null, 2));
  console.log(`The first failing inputs are in ${file.pathname}`);
}

await main(parseArgs(process.argv.slice(2)));
