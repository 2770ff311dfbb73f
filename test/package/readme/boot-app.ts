import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';

/** A running app: its process and its base URL on 127.0.0.1. */
export interface Booted {
  child: ChildProcess;
  url: string;
}

/** A random 32-byte secret in the README's base64url form, made for this run only. */
const SECRET = randomBytes(32).toString('base64url');

/** A TCP port that is free on 127.0.0.1 right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts `node <entry>` in `dir` as the README says (SESSION_SECRET set; PORT and HOST given
 * so that it listens on 127.0.0.1 only), and waits until it answers HTTP (15 s at most).
 */
export async function bootApp(dir: string, entry: string): Promise<Booted> {
  const port = await freePort();
  const child = spawn(process.execPath, [entry], {
    cwd: dir,
    env: { PATH: process.env.PATH, SESSION_SECRET: SECRET, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      await fetch(`${url}/health-check-of-the-test`, { signal: AbortSignal.timeout(1_000) });
      return { child, url };
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  child.kill('SIGKILL');
  throw new Error(`node ${entry} did not answer on ${url} within 15 s\n--- output\n${output}`);
}

/** The `name=value` pairs of a response's `Set-Cookie` lines, as a `Cookie` header. */
export function cookieOf(res: Response): string {
  return res.headers
    .getSetCookie()
    .map((line) => line.split(';')[0])
    .join('; ');
}
