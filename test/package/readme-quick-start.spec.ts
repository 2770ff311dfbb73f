/**
 * The README's Quick start, as a reader copies it: every block marked `<!-- file: path -->` is
 * written into a new project, which installs the packed tarball, compiles with the README's
 * tsconfig (strict) and runs. The Express app and its Fastify variant (the block marked
 * `variant: fastify`) must count views in the cookie, log in with a new session and log out.
 *
 * The project lives under the git-ignored `.tmp/` of this repo, so NestJS 12, TypeScript and
 * @types/node resolve from the repo's node_modules; only the tarball and its two runtime
 * dependencies are installed into it (from the npm cache when possible).
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { installIntoNewApp, pack, removeWorkDir } from '../support/packed-package.js';
import { describeFailure, run, stop } from '../support/run-command.js';
import { quickStartFiles, writeProject } from './readme/quick-start-files.js';
import { bootApp, type Booted } from './readme/boot-app.js';
import { checkQuickStartApp } from './readme/quick-start-checks.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TMP = path.join(ROOT, '.tmp');
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const blocks = quickStartFiles(readme);

let work: string;
let appDir: string;

beforeAll(async () => {
  if (!existsSync(path.join(ROOT, 'dist', 'index.js'))) {
    throw new Error('dist/index.js is missing: run `npm run build` first (`npm test` does).');
  }
  mkdirSync(TMP, { recursive: true });
  work = mkdtempSync(path.join(TMP, 'readme-quick-start-'));
  const { tarball } = await pack(ROOT, work);
  appDir = await installIntoNewApp(work, 'readme-quick-start', tarball);
}, 60_000);

afterAll(() => {
  removeWorkDir(work, TMP);
});

describe("the README's Quick start", () => {
  it('gives every file of a project: package.json, tsconfig.json and the three sources', () => {
    const paths = blocks.filter((block) => block.variant === undefined).map((b) => b.path);
    expect(paths.sort()).toEqual([
      'package.json',
      'src/app.controller.ts',
      'src/app.module.ts',
      'src/main.ts',
      'tsconfig.json',
    ]);
    expect(blocks.filter((block) => block.variant === 'fastify').map((b) => b.path)).toEqual([
      'src/main.ts',
    ]);
  });

  it('asks for an ES module package and a strict compile with decorator metadata', () => {
    const manifest = JSON.parse(blocks.find((b) => b.path === 'package.json')!.code);
    expect(manifest.type).toBe('module');
    expect(Object.keys(manifest.dependencies)).toContain('nest-cookie-session');
    const { compilerOptions } = JSON.parse(blocks.find((b) => b.path === 'tsconfig.json')!.code);
    expect(compilerOptions).toMatchObject({
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      experimentalDecorators: true,
      emitDecoratorMetadata: true,
      types: ['node'],
    });
  });
});

describe.each([['express'], ['fastify']])('the Quick start app on %s', (platform) => {
  let child: ChildProcess | undefined;
  let app: Booted;

  beforeAll(async () => {
    writeProject(appDir, blocks, platform === 'express' ? undefined : platform);
    const compiled = await run(process.execPath, [TSC, '-p', 'tsconfig.json'], appDir, 60_000);
    if (compiled.code !== 0) throw new Error(describeFailure('tsc -p tsconfig.json', compiled));
    app = await bootApp(appDir, 'dist/main.js');
    child = app.child;
  }, 90_000);

  afterAll(() => stop(child));

  checkQuickStartApp(() => app);
});
