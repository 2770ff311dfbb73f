import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import request from 'supertest';
import ts from 'typescript';
import { SessionService } from '../../lib/index.js';
import { cookieHeader, setCookies } from '../e2e/support/cookies.js';
import {
  GRAPHQL_SETUPS,
  gql,
  startGraphQLApp,
  type RunningApp,
} from './support-graphql/graphql-app.js';

describe.each(GRAPHQL_SETUPS)('GraphQL sessions: $name', (setup) => {
  let running: RunningApp;
  let url: string;
  let sessions: SessionService;

  beforeAll(async () => {
    running = await startGraphQLApp(setup);
    url = running.url;
    sessions = running.app.get(SessionService);
  });
  afterAll(() => running?.app.close());

  it('a query that only reads an empty session sets no cookie', async () => {
    const res = await gql(url, '{ views me user }');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: { views: 0, me: null, user: null } });
    expect(setCookies(res)).toEqual([]);
  });

  it('a mutation writing through @Session() reaches Set-Cookie, and later queries read it', async () => {
    let jar = '';
    for (let i = 1; i <= 3; i++) {
      const res = await gql(url, 'mutation { increment }', jar);
      expect(res.body).toEqual({ data: { increment: i } });
      const [cookie] = setCookies(res);
      expect(cookie).toMatchObject({
        name: '__Host-session',
        attributes: { httponly: true, path: '/' },
      });
      jar = cookieHeader(res, jar);
    }
    const res = await gql(url, '{ views }', jar);
    expect(res.body).toEqual({ data: { views: 3 } });
    // What the cookie carries, read back without the server.
    expect(sessions.fromCookieHeader(jar)).toEqual({ views: 3 });
  });

  it('a mutation writing through SessionService reaches Set-Cookie; a service and @Session(key) read it', async () => {
    const login = await gql(url, 'mutation { login(name: "ada") }');
    expect(login.body).toEqual({ data: { login: 'ada' } });
    const jar = cookieHeader(login);
    expect(jar).toMatch(/^__Host-session=/);

    const res = await gql(url, '{ me user views }', jar);
    expect(res.body).toEqual({ data: { me: 'ada', user: 'ada', views: 0 } });
  });

  it('a guard using SessionService lets a logged-in user through and rejects the others', async () => {
    const anonymous = await gql(url, '{ secret }');
    expect(anonymous.body.data).toBeNull();
    expect(anonymous.body.errors[0].message).toBe('Forbidden resource');

    const forged = await gql(url, '{ secret }', '__Host-session=forged-value');
    expect(forged.body.errors[0].message).toBe('Forbidden resource');

    const res = await gql(url, '{ secret }', sessions.toCookieHeader({ user: 'bob' }));
    expect(res.body).toEqual({ data: { secret: 'secret of bob' } });
  });

  it('a mutation from a page of another origin is refused whatever HTTP method carries it', async () => {
    const crossSite = { origin: 'https://evil.example', 'sec-fetch-site': 'same-site' };
    const mutation = 'mutation { increment }';
    const post = await gql(url, mutation).set(crossSite);
    expect(JSON.stringify(post.body)).toMatch(/Cross-origin request refused/);
    expect(setCookies(post)).toEqual([]);
    // As a browser page can send it: no preflight for HEAD, the visitor's cookie included.
    for (const method of ['get', 'head'] as const) {
      const res = await request(url)
        [method](`/graphql?query=${encodeURIComponent(mutation)}`)
        .set(crossSite);
      // A mutation that ran would have written its new session.
      expect(setCookies(res)).toEqual([]);
    }
  });

  it('a tampered cookie gives an empty session, not an error', async () => {
    const header = sessions.toCookieHeader({ user: 'eve' });
    const last = header.at(-1) === 'A' ? 'B' : 'A';
    const res = await gql(url, '{ me views }', header.slice(0, -1) + last);
    expect(res.body).toEqual({ data: { me: null, views: 0 } });
  });

  it('logout (SessionService.destroy()) clears the cookie', async () => {
    const jar = sessions.toCookieHeader({ user: 'carol' });
    const res = await gql(url, 'mutation { logout }', jar);
    expect(res.body).toEqual({ data: { logout: true } });
    const [cleared] = setCookies(res);
    expect(cleared.name).toBe('__Host-session');
    expect(cleared.value).toBe('');
    expect(cookieHeader(res, jar)).toBe('');
  });

  it('concurrent operations each see their own session', async () => {
    const names = Array.from({ length: 20 }, (_, i) => `user${i}`);
    const results = await Promise.all(
      names.map((name) => gql(url, '{ me secret }', sessions.toCookieHeader({ user: name }))),
    );
    expect(results.map((res) => res.body.data)).toEqual(
      names.map((name) => ({ me: name, secret: `secret of ${name}` })),
    );
  });
});

describe('GraphQL sessions: Apollo with a context function of its own', () => {
  let running: RunningApp;
  afterAll(() => running?.app.close());

  it('@Session() and SessionService still find the request', async () => {
    running = await startGraphQLApp(GRAPHQL_SETUPS[0], () => ({ tenant: 'acme' }));
    const login = await gql(running.url, 'mutation { login(name: "dan") increment }');
    expect(login.body).toEqual({ data: { login: 'dan', increment: 1 } });
    const res = await gql(running.url, '{ me views }', cookieHeader(login));
    expect(res.body).toEqual({ data: { me: 'dan', views: 1 } });
  });

  it('@Session() skips a `req` of the context that is not the HTTP request', async () => {
    await running?.app.close();
    running = await startGraphQLApp(GRAPHQL_SETUPS[0], () => ({ req: { tenant: 'x' } }));
    const login = await gql(running.url, 'mutation { login(name: "x") increment }');
    expect(login.body).toEqual({ data: { login: 'x', increment: 1 } });
  });
});

describe('the built library', () => {
  const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

  function jsFiles(dir: string): string[] {
    return readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return jsFiles(path);
      return path.endsWith('.js') ? [path] : [];
    });
  }

  /** Every module specifier in dist/**\/*.js: static and dynamic imports, re-exports, require(). */
  function specifiers(): Set<string> {
    const found = new Set<string>();
    for (const file of jsFiles(join(root, 'dist'))) {
      const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
      for (const { fileName } of info.importedFiles) found.add(fileName);
    }
    return found;
  }

  it('imports no GraphQL (or WebSocket) package at run time', () => {
    const packages = [...specifiers()].filter((s) => !s.startsWith('.'));
    // The scan works: the library's real imports are there.
    expect(packages).toEqual(expect.arrayContaining(['@nestjs/common', 'cookie']));
    for (const forbidden of [
      'graphql',
      '@nestjs/graphql',
      '@nestjs/apollo',
      '@nestjs/mercurius',
      '@apollo/server',
      'mercurius',
      '@nestjs/websockets',
      'ws',
    ]) {
      expect(packages.filter((p) => p === forbidden || p.startsWith(`${forbidden}/`))).toEqual([]);
    }
  });

  it('declares no GraphQL package as a dependency', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    const runtime = Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies });
    expect(runtime.filter((name) => /graphql|apollo|mercurius/.test(name))).toEqual([]);
  });
});
