import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Type tests: `tsc` on fixtures that import 'nest-cookie-session' by name, as an app does (it
 * resolves to the built declarations in dist/: `npm test` builds first), with `skipLibCheck`
 * off so the package's own .d.ts are checked too. A fixture compiles only if every assertion
 * holds and every `@ts-expect-error` line really is an error.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSC = fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url));

interface TscResult {
  status: number | null;
  output: string;
}

function tsc(project: string): Promise<TscResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TSC, '-p', project, '--pretty', 'false'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, output: output.trim() }));
  });
}

const PROJECTS = {
  express: 'test/types/tsconfig.json',
  fastify: 'test/types/tsconfig.fastify.json',
  unaugmented: 'test/types/tsconfig.unaugmented.json',
};
let results: Record<keyof typeof PROJECTS, TscResult>;

// The three compilations run side by side: each takes seconds.
beforeAll(async () => {
  if (!existsSync(`${ROOT}dist/index.d.ts`)) {
    throw new Error('dist/ is missing: run `npm run build` (npm test does) before the type tests');
  }
  const entries = await Promise.all(
    Object.entries(PROJECTS).map(async ([name, project]) => [name, await tsc(project)] as const),
  );
  results = Object.fromEntries(entries) as typeof results;
}, 180_000);

describe('typed sessions: one SessionData augmentation', () => {
  it('types @Session(), SessionService.get() and Express request.session alike', () => {
    expect(results.express).toEqual({ status: 0, output: '' });
  });

  it('types Fastify request.session with the opt-in nest-cookie-session/fastify', () => {
    expect(results.fastify).toEqual({ status: 0, output: '' });
  });

  it('takes session data typed with an interface wherever data goes in, with or without the augmentation', () => {
    expect(results.express).toEqual({ status: 0, output: '' });
    expect(results.unaugmented.output).not.toMatch(/interface-data\.ts/);
  });

  it('fails the same fixture without the augmentation (the checks bite)', () => {
    const { status, output } = results.unaugmented;
    expect(status).not.toBe(0);
    // Assertions that no longer hold, and expected errors that no longer happen.
    expect(output).toMatch(/express-app\.ts\(\d+,\d+\): error TS2344/);
    expect(output).toMatch(/express-app\.ts\(\d+,\d+\): error TS2578: Unused '@ts-expect-error'/);
  });
});
