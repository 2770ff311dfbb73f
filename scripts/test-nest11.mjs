#!/usr/bin/env node
/**
 * The NestJS 11 (CommonJS) run of `npm test`: installs test/nest11's own NestJS 11 packages from
 * its committed lock file, then runs jest with test/nest11/jest.config.js — the e2e suites of
 * test/e2e against Nest 11, plus test/nest11/*.test.ts (version guard, CommonJS app on the packed
 * tarball). Expects a fresh `npm run build` (the CommonJS app test packs dist/).
 *
 *   node scripts/test-nest11.mjs [jest arguments...]
 *
 * The install is `npm ci --prefix test/nest11 --prefer-offline` (npm cache first), skipped when
 * test/nest11/node_modules was installed from the same lock file; NEST11_REINSTALL=1 forces it.
 * Both steps are bounded in time.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIR = path.join(ROOT, 'test', 'nest11');
const LOCK = path.join(DIR, 'package-lock.json');
const STAMP = path.join(DIR, 'node_modules', '.installed-from-lock');
const INSTALL_TIMEOUT_MS = 180_000;
const JEST_TIMEOUT_MS = 300_000;

/** Runs a command with inherited output; resolves with its exit code, killed after `timeoutMs`. */
function run(command, args, timeoutMs) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: 'inherit' });
    const timer = setTimeout(() => {
      console.error(`\n${command} ${args.join(' ')}: no end after ${timeoutMs / 1000} s, killed`);
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

const lockHash = createHash('sha256').update(readFileSync(LOCK)).digest('hex');
const upToDate =
  process.env.NEST11_REINSTALL !== '1' &&
  existsSync(STAMP) &&
  readFileSync(STAMP, 'utf8').trim() === lockHash;

if (upToDate) {
  console.log('test/nest11: NestJS 11 packages already installed from this lock file');
} else {
  console.log('test/nest11: installing NestJS 11 packages (npm ci)');
  const code = await run(
    'npm',
    ['ci', '--prefix', DIR, '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'],
    INSTALL_TIMEOUT_MS,
  );
  if (code !== 0) {
    console.error(`test/nest11: npm ci failed (${code})`);
    process.exit(code);
  }
  writeFileSync(STAMP, `${lockHash}\n`);
}

const jest = path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js');
const config = path.join(DIR, 'jest.config.js');
process.exitCode = await run(
  process.execPath,
  ['--experimental-vm-modules', jest, '-c', config, ...process.argv.slice(2)],
  JEST_TIMEOUT_MS,
);
