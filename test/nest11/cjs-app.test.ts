/**
 * A plain CommonJS NestJS 11 app (fixtures/nest11-app.cjs, no TypeScript) `require()`s the packed
 * tarball and serves a session on Express and on Fastify: a cookie jar sees the counter grow.
 *
 * The tarball is packed from the build of this run (`npm run build` first) and installed into a
 * throwaway app under test/nest11/.tmp/ (git-ignored), so Node resolves `@nestjs/*` — for the app
 * and for the tarball's own imports alike — from test/nest11/node_modules: NestJS 11, CommonJS.
 * Only the tarball and its two runtime dependencies are installed there (npm cache first).
 */
import type { ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, rmdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import request, { type Response } from 'supertest';
import { installIntoNewApp, pack } from '../support/packed-package.js';
import { startUntilReady, stop } from '../support/run-command.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');
const NEST11 = path.join(HERE, 'node_modules');
const TMP = path.join(HERE, '.tmp');
const NAME = 'nest-cookie-session';
const APP = 'nest11-app.cjs';

/** What the app prints once it listens. */
interface Ready {
  platform: string;
  resolved: string;
  nest: { dir: string; version: string }[];
  port: number;
}

/** A browser's cookie jar, fed by each response's `Set-Cookie` lines. */
class CookieJar {
  private readonly jar = new Map<string, string>();

  store(res: Response): void {
    const header = res.headers['set-cookie'] as unknown as string[] | undefined;
    for (const line of header ?? []) {
      const [pair, ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1);
      const expired = value === '' || attributes.some((a) => /^\s*max-age=0\s*$/i.test(a));
      if (expired) this.jar.delete(name);
      else this.jar.set(name, value);
    }
  }

  header(): string {
    return [...this.jar].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

let work: string;
let appDir: string;
let installed: string;

beforeAll(async () => {
  if (!existsSync(path.join(ROOT, 'dist', 'index.js'))) {
    throw new Error('dist/index.js is missing: run `npm run build` first (`npm test` does).');
  }
  if (!existsSync(path.join(NEST11, '@nestjs', 'core', 'package.json'))) {
    throw new Error('NestJS 11 is not installed: run `npm ci --prefix test/nest11` first.');
  }
  mkdirSync(TMP, { recursive: true });
  work = mkdtempSync(path.join(TMP, 'cjs-app-'));

  const { tarball } = await pack(ROOT, work);
  // The peers (Nest 11) come from test/nest11/node_modules up the tree.
  appDir = await installIntoNewApp(work, 'nest11-cjs-app', tarball);
  installed = path.join(appDir, 'node_modules', NAME);
  copyFileSync(path.join(HERE, 'fixtures', APP), path.join(appDir, APP));
}, 60_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
  try {
    rmdirSync(TMP); // only when no other run keeps files there
  } catch {
    // not empty: leave it
  }
});

describe.each(['express', 'fastify'])('a CommonJS NestJS 11 app on %s', (platform) => {
  let child: ChildProcess | undefined;
  let ready: Ready;

  beforeAll(async () => {
    ({ child, ready } = await startUntilReady<Ready>(appDir, [APP, platform]));
  }, 20_000);

  afterAll(() => stop(child));

  it('require()s the installed tarball, not the repo build', () => {
    expect(ready.platform).toBe(platform);
    expect(ready.resolved).toBe(path.join(installed, 'dist', 'index.js'));
  });

  it('runs on NestJS 11 only, the tarball included', () => {
    const loaded = ready.nest.map(({ dir, version }) => [path.relative(NEST11, dir), version]);
    const adapter = `@nestjs/platform-${platform}`;
    expect(loaded.map(([name]) => name)).toEqual(
      expect.arrayContaining(['@nestjs/common', '@nestjs/core', adapter]),
    );
    for (const [name, version] of loaded) {
      // Every copy lives in test/nest11/node_modules (not the repo's Nest 12) and is 11.x.
      expect([name, version]).toEqual([
        expect.stringMatching(/^@nestjs\/[^/\\]+$/),
        expect.stringMatching(/^11\./),
      ]);
    }
  });

  it('counts views in the session cookie across requests', async () => {
    const agent = request(`http://127.0.0.1:${ready.port}`);
    const jar = new CookieJar();

    const first = await agent.get('/count').timeout(5_000);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ views: 1 });
    jar.store(first);
    expect(jar.header()).toMatch(/^session=[\w-]+$/);

    for (const views of [2, 3, 4]) {
      const res = await agent.get('/count').set('Cookie', jar.header()).timeout(5_000);
      expect(res.body).toEqual({ views });
      jar.store(res);
    }

    // SessionService, injected by hand-written design:paramtypes metadata, reads the same session.
    const peek = await agent.get('/peek').set('Cookie', jar.header()).timeout(5_000);
    expect(peek.body).toEqual({ session: { views: 4 } });

    // A client without the cookie starts over; the jar's session is untouched by it.
    expect((await agent.get('/count').timeout(5_000)).body).toEqual({ views: 1 });

    const logout = await agent.post('/logout').set('Cookie', jar.header()).timeout(5_000);
    expect(logout.status).toBe(201);
    jar.store(logout);
    expect(jar.header()).toBe('');
    const after = await agent.get('/count').set('Cookie', jar.header()).timeout(5_000);
    expect(after.body).toEqual({ views: 1 });
  });
});
