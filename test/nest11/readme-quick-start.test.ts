/**
 * The README's Quick start on NestJS 11 (CommonJS), as its note says: the same files, with
 * `^11.0.0` for the `@nestjs/*` packages and no `"type": "module"`. TypeScript then compiles to
 * CommonJS, and Node's require(esm) loads the packed tarball. Jest in CommonJS mode, with the
 * entries the README adds to its config, runs a test of that app.
 *
 * The project lives under test/nest11/.tmp/ (git-ignored), so `@nestjs/*` resolves to the
 * NestJS 11 of test/nest11/node_modules and TypeScript and @types/node to the repo root's.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bootApp, type Booted } from '../package/readme/boot-app.js';
import { checkQuickStartApp } from '../package/readme/quick-start-checks.js';
import { quickStartFiles, writeProject } from '../package/readme/quick-start-files.js';
import { installIntoNewApp, pack, removeWorkDir } from '../support/packed-package.js';
import { describeFailure, run, stop } from '../support/run-command.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');
const TMP = path.join(HERE, '.tmp');
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const JEST = path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js');

/** A test of the app as a NestJS 11 user writes one: ts-jest, CommonJS, no ESM mode. */
const APP_TEST = `import { describe, expect, it } from '@jest/globals';
import { Test } from '@nestjs/testing';
import type { AddressInfo } from 'node:net';

describe('the app under jest', () => {
  it('counts views in its session cookie', async () => {
    process.env.SESSION_SECRET = 'Jq7vR2xL9tW4mZ8pK3cY6hN1bF5dS0gA';
    const { AppModule } = await import('./app.module.js');
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.listen(0, '127.0.0.1');
    try {
      const { port } = app.getHttpServer().address() as AddressInfo;
      const res = await fetch(\`http://127.0.0.1:\${port}/\`);
      expect(await res.json()).toEqual({ views: 1, user: null });
      expect(res.headers.getSetCookie().join()).toContain('__Host-session=');
    } finally {
      await app.close();
    }
  });
});
`;

const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const note = readme.slice(readme.indexOf('**NestJS 11 (CommonJS)**')).split('\n\n', 1)[0];

/** The README's package.json turned into a NestJS 11 CommonJS app's, as the note says. */
function asNest11CommonJs(json: string): string {
  const manifest = JSON.parse(json);
  delete manifest.type;
  for (const name of Object.keys(manifest.dependencies)) {
    if (name.startsWith('@nestjs/')) manifest.dependencies[name] = '^11.0.0';
  }
  return JSON.stringify(manifest, null, 2);
}

let work: string;
let child: ChildProcess | undefined;
let app: Booted;

beforeAll(async () => {
  if (!existsSync(path.join(ROOT, 'dist', 'index.js'))) {
    throw new Error('dist/index.js is missing: run `npm run build` first (`npm test` does).');
  }
  mkdirSync(TMP, { recursive: true });
  work = mkdtempSync(path.join(TMP, 'readme-quick-start-'));
  const { tarball } = await pack(ROOT, work);
  const appDir = await installIntoNewApp(work, 'readme-quick-start-nest11', tarball);
  const files = quickStartFiles(readme);
  writeProject(appDir, files);
  const manifest = path.join(appDir, 'package.json');
  writeFileSync(manifest, asNest11CommonJs(readFileSync(manifest, 'utf8')));

  const compiled = await run(process.execPath, [TSC, '-p', 'tsconfig.json'], appDir, 60_000);
  if (compiled.code !== 0) throw new Error(describeFailure('tsc -p tsconfig.json', compiled));
  app = await bootApp(appDir, 'dist/main.js');
  child = app.child;
}, 120_000);

afterAll(async () => {
  await stop(child);
  removeWorkDir(work, TMP);
});

describe("the README's Quick start on NestJS 11 (CommonJS)", () => {
  it('is what the README tells NestJS 11 users to change: no "type": "module", ^11.0.0', () => {
    expect(note).toContain('`"type": "module"`');
    expect(note).toContain('`^11.0.0`');
  });

  it('compiles to CommonJS and runs on NestJS 11', () => {
    const main = readFileSync(path.join(work, 'app', 'dist', 'main.js'), 'utf8');
    expect(main).toContain('require("@nestjs/core")');
    const version = JSON.parse(
      readFileSync(path.join(HERE, 'node_modules', '@nestjs', 'core', 'package.json'), 'utf8'),
    ).version;
    expect(version).toMatch(/^11\./);
  });

  checkQuickStartApp(() => app);

  it('runs its tests under jest in CommonJS mode with the entries the README adds', async () => {
    const block = quickStartFiles(readme).find((file) => file.variant === 'jest');
    expect(block).toBeDefined();
    const appDir = path.join(work, 'app');
    // The README's entries, in a config that otherwise holds what any such project has.
    const config = {
      ...JSON.parse(block!.code),
      rootDir: appDir,
      testRegex: 'src/.*\\.spec\\.ts$',
    };
    writeFileSync(path.join(appDir, 'jest.config.json'), JSON.stringify(config));
    writeFileSync(path.join(appDir, 'src', 'app.spec.ts'), APP_TEST);
    const tested = await run(
      process.execPath,
      [JEST, '--config', 'jest.config.json', '--ci'],
      appDir,
      120_000,
    );
    if (tested.code !== 0) throw new Error(describeFailure('jest (CommonJS)', tested));
    expect(tested.stderr).toMatch(/Tests:\s+1 passed/);
  }, 150_000);
});
