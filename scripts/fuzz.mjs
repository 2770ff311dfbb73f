#!/usr/bin/env node
/**
 * The long fuzz run of issue 5 (items 1–3), against the built package (dist/): run
 * `npm run build` first, or `npm run fuzz`, which does.
 *
 *   1. codec fuzz: N fast-check cases (arbitrary strings and bytes, mutations of valid seals,
 *      foreign seals) through SessionCodec.open and openSeal, split over worker threads;
 *   2. exhaustive edits: every single-bit flip of every valid seal of the fixture (the longest
 *      too) and every character replaced by every other in the shorter ones;
 *   3. IV uniqueness over M seals (two codecs of the same key, alternating);
 *   4. live fuzz: K cookies per adapter through a Nest app on Express and on Fastify, on
 *      127.0.0.1 (three quarters as the whole cookie, a quarter split into chunk cookies of an
 *      app with maxChunks: 3).
 *
 * It prints progress, then what it tried, how many opened (must be 0) and how many crashed
 * (must be 0), and exits with 1 if any did. The cases are shared with test/security/fuzz.spec.ts
 * (test/security/support/seal-fuzz.mjs), which runs a fast version in `npm test`.
 *
 * Usage: node scripts/fuzz.mjs [--cases N] [--ivs N] [--http N] [--workers N] [--seed N]
 *        node scripts/fuzz.mjs --include-valid --cases 5000   (self-check: must FAIL)
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import * as fc from 'fast-check';
import {
  Tally,
  buildFixture,
  copyIv,
  countRepeatedIvs,
  everyBitFlip,
  everyCharacterReplacement,
  isFailure,
  ivBitCounts,
  judgeCodec,
  judgeLive,
  keepAliveAgent,
  liveCaseArbitrary,
  mixedArbitrary,
  targetOptions,
} from '../test/security/support/seal-fuzz.mjs';

const DIST = new URL('../dist/index.js', import.meta.url);
const BATCH = 10_000;
/** Hard limit on the whole run: a bounded loop, whatever the machine. */
const TIME_LIMIT_MS = 30 * 60_000;
const n = (x) => Math.round(x).toLocaleString('en-US');

const USAGE = `Usage: node scripts/fuzz.mjs [options]   (after npm run build)
  --cases N    codec cases (default 1000000)
  --ivs N      seals for the IV uniqueness check (default 1000000)
  --http N     cookies sent to each of the Express and Fastify apps (default 2000; 0 to skip)
  --workers N  worker threads for the codec cases (default: 2, at most the CPUs)
  --seed N     fast-check seed (default: random, printed): the same mutations, made on fresh
               seals (new IVs); failing inputs are written to .tmp/fuzz-failures-<seed>.json
  --include-valid
               self-check: count cases that rebuild a valid seal as attacks, so the run must
               report some opened and FAIL (exit code 1)`;

function parseArgs(argv) {
  const options = {
    cases: 1_000_000,
    ivs: 1_000_000,
    http: 2000,
    workers: Math.min(2, availableParallelism()),
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
    if (!flag.startsWith('--') || !(key in options) || key === 'includeValid') {
      console.error(`Unknown argument ${arg}\n${USAGE}`);
      process.exit(2);
    }
    const value = Number(inline ?? argv[++i]);
    if (!Number.isSafeInteger(value) || value < (key === 'workers' ? 1 : 0)) {
      console.error(
        `--${key} needs a whole number${key === 'workers' ? ' ≥ 1' : ' ≥ 0'}\n${USAGE}`,
      );
      process.exit(2);
    }
    options[key] = value;
  }
  return options;
}

async function loadDist() {
  if (!existsSync(DIST)) {
    console.error('dist/index.js is missing: run `npm run build` first (or `npm run fuzz`).');
    process.exit(2);
  }
  return import(DIST.href);
}

// ---------------------------------------------------------------------------------------------
// Worker: runs its share of the codec cases in batches, reporting after each.

async function runWorker({ cases, seed, index, includeValid }) {
  const { SessionCodec } = await loadDist();
  const fixture = buildFixture(SessionCodec);
  const tally = new Tally(`worker ${index}`);
  const arbitrary = mixedArbitrary(fixture);
  for (let done = 0, batch = 0; done < cases; batch++) {
    const runs = Math.min(BATCH, cases - done);
    const batchSeed = (seed + index * 7919 + batch * 104_729) | 0;
    // The predicate always holds: every case is counted, none stops the run; failures are kept.
    fc.assert(
      fc.property(arbitrary, (c) => {
        const verdict = judgeCodec(fixture.target, c.value, fixture, { skipValid: !includeValid });
        tally.record(c.family, verdict, isFailure(verdict) ? { ...c, batchSeed } : undefined);
        return true;
      }),
      { numRuns: runs, seed: batchSeed },
    );
    done += runs;
    const { opened, crashed } = tally.totals;
    parentPort.postMessage({ type: 'progress', done, opened, crashed });
  }
  parentPort.postMessage({ type: 'done', rows: [...tally.rows], failures: tally.failures });
}

if (!isMainThread) {
  await runWorker(workerData);
} else {
  await main(parseArgs(process.argv.slice(2)));
}

// ---------------------------------------------------------------------------------------------
// Main thread.

async function main(options) {
  const started = Date.now();
  const deadline = started + TIME_LIMIT_MS;
  const dist = await loadDist();
  console.log(
    `fuzz: ${n(options.cases)} codec cases on ${options.workers} worker(s), ${n(options.ivs)} IVs, ` +
      `${n(options.http)} cookies per adapter; seed ${options.seed}`,
  );

  const codec = await codecPhase(options, deadline);
  const edits = editPhase(dist);
  const ivs = ivPhase(dist, options.ivs);
  const live = options.http > 0 ? await livePhase(dist, options, deadline) : [];

  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const all = [codec, ...live];
  const tried = all.reduce((sum, t) => sum + t.totals.tried, 0);
  const opened = all.reduce((sum, t) => sum + t.totals.opened, 0) + edits.opened;
  const crashed = all.reduce((sum, t) => sum + t.totals.crashed, 0) + edits.crashed;
  const misbehaved = live.reduce((sum, t) => sum + t.totals.misbehaved, 0);
  console.log(`\n${codec.summary()}`);
  for (const t of live) console.log(`\n${t.summary()}`);
  console.log(
    `\nexhaustive edits: ${n(edits.flips)} single-bit flips of ${edits.seals} seals and ` +
      `${n(edits.replacements)} character replacements, ${edits.opened} opened, ${edits.crashed} crashed`,
  );
  console.log(
    `IV uniqueness: ${n(ivs.count)} seals, ${ivs.repeats} repeated IVs, bit balance within ` +
      `${ivs.worst.toFixed(1)}σ (${ivs.ms} ms)`,
  );
  const ok =
    opened === 0 && crashed === 0 && misbehaved === 0 && ivs.repeats === 0 && ivs.worst < 6;
  console.log(
    `\n${ok ? 'PASS' : 'FAIL'}: ${n(tried + edits.flips + edits.replacements)} cases tried ` +
      `(${n(codec.totals.tried)} codec, ${n(tried - codec.totals.tried)} live, ` +
      `${n(edits.flips + edits.replacements)} exhaustive edits), ${n(opened)} opened, ` +
      `${n(crashed)} crashed${misbehaved ? `, ${n(misbehaved)} misbehaved` : ''}; ` +
      `${n(ivs.count)} IVs, ${ivs.repeats} repeated; ${seconds} s, seed ${options.seed}`,
  );
  if (!ok) writeFailures(options.seed, [codec, ...live], edits.failures);
  process.exitCode = ok ? 0 : 1;
}

async function codecPhase({ cases, workers, seed, includeValid }, deadline) {
  const tally = new Tally('codec fuzz (SessionCodec.open and openSeal)');
  const started = Date.now();
  const shares = Array.from(
    { length: workers },
    (_, i) => Math.floor(cases / workers) + (i < cases % workers ? 1 : 0),
  );
  const progress = shares.map(() => ({ done: 0, opened: 0, crashed: 0 }));
  let lastPrint = 0;
  const print = (force = false) => {
    const now = Date.now();
    if (!force && now - lastPrint < 5000) return;
    lastPrint = now;
    const done = progress.reduce((sum, p) => sum + p.done, 0);
    const opened = progress.reduce((sum, p) => sum + p.opened, 0);
    const crashed = progress.reduce((sum, p) => sum + p.crashed, 0);
    const rate = done / Math.max(0.001, (now - started) / 1000);
    console.log(
      `  codec: ${n(done)} / ${n(cases)} (${((100 * done) / Math.max(1, cases)).toFixed(0)}%), ` +
        `${opened} opened, ${crashed} crashed, ${n(rate)} cases/s, ` +
        `about ${n((cases - done) / Math.max(1, rate))} s left`,
    );
  };
  const results = await Promise.all(
    shares.map(
      (share, index) =>
        new Promise((resolve, reject) => {
          const worker = new Worker(new URL(import.meta.url), {
            workerData: { cases: share, seed, index, includeValid },
          });
          const timer = setTimeout(() => {
            worker.terminate();
            reject(new Error(`worker ${index} still running after the time limit`));
          }, deadline - Date.now());
          worker.on('message', (message) => {
            if (message.type === 'progress') {
              progress[index] = message;
              print();
            } else if (message.type === 'done') {
              clearTimeout(timer);
              resolve(message);
            }
          });
          worker.on('error', (error) => {
            clearTimeout(timer);
            reject(error);
          });
          worker.on('exit', (code) => {
            clearTimeout(timer);
            if (code !== 0) reject(new Error(`worker ${index} exited with ${code}`));
          });
        }),
    ),
  );
  print(true);
  for (const { rows, failures } of results) {
    for (const [family, row] of rows) {
      const mine = tally.rows.get(family);
      if (!mine) tally.rows.set(family, { ...row });
      else for (const key of Object.keys(row)) mine[key] += row[key];
    }
    tally.failures.push(...failures);
  }
  console.log(`  codec: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return tally;
}

function editPhase({ SessionCodec }) {
  const started = Date.now();
  const fixture = buildFixture(SessionCodec);
  const result = { seals: 0, flips: 0, replacements: 0, opened: 0, crashed: 0, failures: [] };
  const check = (kind, value) => {
    const verdict = judgeCodec(fixture.target, value, fixture);
    if (verdict.outcome === 'opened') result.opened++;
    if (verdict.outcome === 'crashed') result.crashed++;
    if (isFailure(verdict) && result.failures.length < 10)
      result.failures.push({ kind, ...verdict, value });
  };
  for (const seal of fixture.valid) {
    result.seals++;
    for (const [, flipped] of everyBitFlip(seal)) {
      result.flips++;
      check('bit flip', flipped);
    }
    if (seal.length > 1000) continue; // 85 replacements a character: the short seals suffice
    for (const [, replaced] of everyCharacterReplacement(seal)) {
      result.replacements++;
      check('character replacement', replaced);
    }
  }
  console.log(
    `  exhaustive edits: ${n(result.flips)} bit flips, ${n(result.replacements)} replacements ` +
      `in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return result;
}

function ivPhase({ SessionCodec }, count) {
  const started = Date.now();
  const codecs = [new SessionCodec(targetOptions()), new SessionCodec(targetOptions())];
  const ivs = Buffer.alloc(count * 12);
  const step = Math.max(1, Math.ceil(count / 4));
  for (let i = 0; i < count; i++) {
    copyIv(codecs[i & 1].seal({}), ivs, i);
    if ((i + 1) % step === 0 || i + 1 === count)
      console.log(`  IVs: ${n(i + 1)} / ${n(count)} seals`);
  }
  const repeats = countRepeatedIvs(ivs, count);
  const sigma = Math.sqrt(count) / 2;
  const ones = ivBitCounts(ivs, count);
  const worst = count === 0 ? 0 : Math.max(...ones.map((c) => Math.abs(c - count / 2))) / sigma;
  return { count, repeats, worst, ms: Date.now() - started };
}

// ---------------------------------------------------------------------------------------------
// Live apps, built without decorators (plain JS): GET /read answers the session it saw.

async function startApp(dist, platform, options) {
  await import('reflect-metadata');
  const { Controller, Get, Module } = await import('@nestjs/common');
  const { NestFactory } = await import('@nestjs/core');
  const adapter =
    platform === 'express'
      ? new (await import('@nestjs/platform-express')).ExpressAdapter()
      : new (await import('@nestjs/platform-fastify')).FastifyAdapter();

  class ReadController {
    read(session) {
      return { data: JSON.parse(JSON.stringify(session)), isNew: session.isNew };
    }
  }
  dist.Session()(ReadController.prototype, 'read', 0);
  Get('read')(
    ReadController.prototype,
    'read',
    Object.getOwnPropertyDescriptor(ReadController.prototype, 'read'),
  );
  Controller()(ReadController);
  class FuzzModule {}
  Module({
    imports: [dist.CookieSessionModule.forRoot(targetOptions(options))],
    controllers: [ReadController],
  })(FuzzModule);

  const app = await NestFactory.create(FuzzModule, adapter, { logger: false });
  await app.listen(0, '127.0.0.1');
  return { app, port: app.getHttpServer().address().port };
}

async function livePhase(dist, { http, seed, includeValid }, deadline) {
  const fixture = buildFixture(dist.SessionCodec);
  const tallies = [];
  for (const platform of ['express', 'fastify']) {
    const tally = new Tally(`live ${platform} fuzz`);
    tallies.push(tally);
    const chunked = Math.floor(http / 4);
    for (const [options, runs, chunks] of [
      [{}, http - chunked, false],
      [{ maxChunks: 3 }, chunked, true],
    ]) {
      if (runs === 0) continue;
      const { app, port } = await startApp(dist, platform, options);
      const agent = keepAliveAgent();
      const started = Date.now();
      let done = 0;
      try {
        await fc.assert(
          fc.asyncProperty(liveCaseArbitrary(fixture, { chunks }), async (live) => {
            if (Date.now() > deadline) throw new Error('time limit reached');
            const verdict = await judgeLive(port, live, fixture, agent, {
              maxChunks: options.maxChunks ?? 1,
              skipValid: !includeValid,
            });
            tally.record(`${chunks ? 'chunks: ' : ''}${live.case.family}`, verdict, live);
            if (++done % 500 === 0)
              console.log(
                `  ${platform}${chunks ? ' (chunks)' : ''}: ${n(done)} / ${n(runs)} cookies`,
              );
            return true;
          }),
          { numRuns: runs, seed: (seed + tallies.length * 2 + (chunks ? 1 : 0)) | 0 },
        );
      } finally {
        agent.destroy();
        await app.close();
      }
      console.log(
        `  ${platform}${chunks ? ' (chunks)' : ''}: ${n(runs)} cookies in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
    }
  }
  return tallies;
}

function writeFailures(seed, tallies, edits) {
  const failures = [
    ...tallies.flatMap((t) => t.failures.map((f) => ({ run: t.title, ...f }))),
    ...edits,
  ];
  if (failures.length === 0) return;
  mkdirSync(new URL('../.tmp/', import.meta.url), { recursive: true });
  const file = new URL(`../.tmp/fuzz-failures-${seed}.json`, import.meta.url);
  writeFileSync(file, JSON.stringify(failures, null, 2));
  console.log(`The failing inputs (first 10 of each run) are in ${file.pathname}`);
}
