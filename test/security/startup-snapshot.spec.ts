import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SessionCodec } from '../../lib/index.js';
import { bundleCodec } from './fixtures/snapshot/bundle-codec.js';

/**
 * A seal's IV comes straight from the CSPRNG: nothing drawn ahead of time sits in the heap, where
 * a startup snapshot (or a fork, or a checkpoint/restore) would hand the same IVs to every
 * process started from it. With the same data, instant and key, a repeated IV gives the very
 * same seal, so repeated seals are repeated IVs whatever the layout of a seal.
 *
 * Runs the built package (dist/): `npm test` builds it first.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DIST_ENTRY = join(ROOT, 'dist/index.js');
const ENTRY = readFileSync(join(ROOT, 'test/security/fixtures/snapshot/entry.cjs'), 'utf8');
const SEALS_PER_PROCESS = 20;
const SEALS_IN_ONE_PROCESS = 200_000;
/** Every child process is killed if it runs longer than this. */
const CHILD_TIME_LIMIT_MS = 30_000;
const DATA = { user: 'alice', roles: ['admin'] };

function node(args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      args,
      { cwd, timeout: CHILD_TIME_LIMIT_MS, killSignal: 'SIGKILL', maxBuffer: 1 << 20 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`node ${args.join(' ')} failed: ${error.message}\n${stderr}`));
        else resolve(stdout);
      },
    );
  });
}

describe('IVs across processes started from one startup snapshot', () => {
  const secret = randomBytes(32).toString('base64url');
  const now = Date.now();
  let dir: string;
  let runs: string[][];

  beforeAll(async () => {
    expect(existsSync(DIST_ENTRY)).toBe(true);
    dir = mkdtempSync(join(tmpdir(), 'snapshot-'));
    const { source, codecModule } = bundleCodec(DIST_ENTRY);
    const config = { codecModule, secret, now, data: DATA, seals: SEALS_PER_PROCESS };
    writeFileSync(
      join(dir, 'entry.js'),
      `${source}\nconst __config = ${JSON.stringify(config)};\n${ENTRY}`,
    );
    await node(['--snapshot-blob', 'codec.blob', '--build-snapshot', 'entry.js'], dir);
    const outputs = await Promise.all(
      [1, 2].map(() => node(['--snapshot-blob', 'codec.blob'], dir)),
    );
    runs = outputs.map((output) => JSON.parse(output) as string[]);
  }, 3 * CHILD_TIME_LIMIT_MS);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('gives each process seals of the same data and instant that open under the key', () => {
    const codec = new SessionCodec({ secret });
    for (const seals of runs) {
      expect(seals).toHaveLength(SEALS_PER_PROCESS);
      for (const seal of seals) expect(codec.open(seal)).toEqual(DATA);
    }
  });

  it('never gives two processes the same seal (no IV drawn before the snapshot is reused)', () => {
    const [first, second] = runs;
    const sealsInBoth = first.filter((seal) => second.includes(seal)).length;
    expect(sealsInBoth).toBe(0);
    expect(new Set([...first, ...second]).size).toBe(2 * SEALS_PER_PROCESS);
  });
});

describe('IVs within one process', () => {
  it(`never repeat over ${SEALS_IN_ONE_PROCESS} seals of the same data at the same instant`, () => {
    // Two codecs of the same key, alternating: no state they share may repeat an IV.
    const secret = randomBytes(32);
    const codecs = [new SessionCodec({ secret }), new SessionCodec({ secret })];
    const realNow = Date.now;
    const now = realNow();
    Date.now = () => now;
    const seals = new Set<string>();
    try {
      for (let i = 0; i < SEALS_IN_ONE_PROCESS; i++) seals.add(codecs[i & 1].seal(DATA));
    } finally {
      Date.now = realNow;
    }
    expect(seals.size).toBe(SEALS_IN_ONE_PROCESS);
  }, 60_000);
});
