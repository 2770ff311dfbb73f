import type { BrowserContext, Cookie, Page } from 'playwright-core';
import { spawn } from 'node:child_process';
import { lookup } from 'node:dns/promises';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { exited } from './child-exit.js';
import { freePort } from './free-port.js';

const MAIN = fileURLToPath(new URL('../../../sample/dist/main.js', import.meta.url));

/** The sample app running in a child process, listening on 127.0.0.1 only. */
export interface SampleServer {
  /** Where the browser should go: `http://localhost:PORT` when localhost is 127.0.0.1. */
  readonly baseUrl: string;
  /** Everything the app printed so far (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Browsers keep Secure cookies from plain-HTTP `localhost`: use that name when it points at
 * 127.0.0.1 (where the server listens), else the address itself.
 */
export async function hostForBrowser(): Promise<string> {
  try {
    const addresses = await lookup('localhost', { all: true });
    if (addresses.some((a) => a.address === '127.0.0.1')) return 'localhost';
  } catch {
    // no resolver entry for localhost: fall through
  }
  return '127.0.0.1';
}

/**
 * Starts the built sample (`sample/dist/main.js`) with `node`, as `npm start` does, and waits
 * until it answers.
 */
export async function startSample(env: Record<string, string> = {}): Promise<SampleServer> {
  if (!existsSync(MAIN)) {
    throw new Error(
      `${MAIN} is missing: build first (npm run build && npx tsc -p sample/tsconfig.json)`,
    );
  }
  const port = await freePort();
  const child = spawn(process.execPath, [MAIN], {
    env: { ...process.env, NO_COLOR: '1', ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited(child);
      clearTimeout(timer);
    }
  };

  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The sample exited early:\n${output}`);
    try {
      await fetch(`http://127.0.0.1:${port}/login`);
      break;
    } catch {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`The sample did not answer within 20 s:\n${output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return { baseUrl: `http://${await hostForBrowser()}:${port}`, output: () => output, stop };
}

/** The sample's cookie: the module's default name with its default `Secure`, `Path=/`. */
export const COOKIE_NAME = '__Host-session';

/** The sample's demo accounts. */
export const PASSWORDS: Readonly<Record<string, string>> = {
  ada: 'analytical-engine',
  grace: 'compiler-1952',
};

/** The session cookie in a browser's jar, if any. */
export async function sessionCookie(context: BrowserContext): Promise<Cookie | undefined> {
  return (await context.cookies()).find((c) => c.name === COOKIE_NAME);
}

/** Goes to `path` and fails on an error page. */
export async function visit(page: Page, path: string): Promise<void> {
  const response = await page.goto(path);
  expect(response?.status()).toBeLessThan(400);
}

/** Fills the login form and submits it; resolves on the page the sample redirects to. */
export async function submitLogin(
  page: Page,
  name: string,
  { password = PASSWORDS[name] ?? '', rememberMe = false } = {},
): Promise<string> {
  await visit(page, '/login');
  await page.fill('input[name=name]', name);
  await page.fill('input[name=password]', password);
  if (rememberMe) await page.check('input[name=rememberMe]');
  await Promise.all([page.waitForNavigation(), page.click('main button[type=submit]')]);
  return new URL(page.url()).pathname;
}

/** Logs in with the right password: the browser lands on the profile. */
export async function logIn(page: Page, name: string, rememberMe = false): Promise<void> {
  expect(await submitLogin(page, name, { rememberMe })).toBe('/profile');
}
