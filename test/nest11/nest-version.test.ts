/**
 * Guards the point of this run: every `@nestjs/*` (and rxjs, reflect-metadata) that the e2e
 * suites, lib/ and the Nest packages load is the NestJS 11 CommonJS install of
 * test/nest11/node_modules, never the NestJS 12 of the repo root. If the mapping in
 * jest.config.js broke, this fails instead of the run silently testing Nest 12 twice.
 *
 * `createRequire` from `node:module` is jest's own here, so it resolves and loads exactly as the
 * imports of the suites do (moduleNameMapper included) and shares their module registry.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { HttpAdapterHost } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { PLATFORMS, createApp } from '../e2e/support/create-app.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');
const NEST11 = path.join(HERE, 'node_modules') + path.sep;

const PACKAGES = [
  '@nestjs/common',
  '@nestjs/core',
  '@nestjs/testing',
  '@nestjs/platform-express',
  '@nestjs/platform-fastify',
  // Not used by the suites, but Nest 11 core require()s it when present: 11 here, never 12.
  '@nestjs/websockets',
];

/** A require() as jest gives it to a file at `from` (a test, lib/, a Nest package). */
const requireFrom = (from: string) => createRequire(path.join(ROOT, from));

describe('the NestJS 11 run', () => {
  it.each(PACKAGES)('loads %s 11.x, CommonJS, for the e2e suites and lib/', (name) => {
    for (const from of ['test/e2e/support/create-app.ts', 'lib/index.ts']) {
      const manifest = requireFrom(from)(`${name}/package.json`) as {
        version: string;
        type?: string;
      };
      expect([from, manifest.version]).toEqual([from, expect.stringMatching(/^11\./)]);
      expect(manifest.type ?? 'commonjs').toBe('commonjs');
    }
  });

  it.each(['lib/index.ts', 'lib/http/platform-hooks.ts', 'test/e2e/support/create-app.ts'])(
    'resolves @nestjs/*, rxjs and reflect-metadata from %s to the Nest 11 install',
    (from) => {
      const resolve = requireFrom(from).resolve;
      for (const name of [...PACKAGES, 'rxjs', 'reflect-metadata']) {
        expect([name, resolve(name).startsWith(NEST11)]).toEqual([name, true]);
      }
    },
  );

  it('gives the imports of the suites the same module instances as Nest 11 itself', () => {
    const req = requireFrom('test/nest11/x.ts');
    expect(ExpressAdapter).toBe(req('@nestjs/platform-express').ExpressAdapter);
    expect(FastifyAdapter).toBe(req('@nestjs/platform-fastify').FastifyAdapter);
    expect(Test).toBe(req('@nestjs/testing').Test);
    // What the Nest 11 adapters and testing package require() for themselves.
    const fromExpress = createRequire(req.resolve('@nestjs/platform-express'));
    expect(fromExpress('@nestjs/core').HttpAdapterHost).toBe(HttpAdapterHost);
    expect(fromExpress.resolve('@nestjs/core').startsWith(NEST11)).toBe(true);
  });

  it.each(PLATFORMS)('builds the e2e apps on the Nest 11 %s adapter', async (platform) => {
    const app = await createApp(platform, {});
    try {
      const req = requireFrom('test/nest11/x.ts');
      const Adapter =
        platform === 'express'
          ? req('@nestjs/platform-express').ExpressAdapter
          : req('@nestjs/platform-fastify').FastifyAdapter;
      expect(app.getHttpAdapter()).toBeInstanceOf(Adapter);
      expect(app.get(HttpAdapterHost).httpAdapter).toBe(app.getHttpAdapter());
    } finally {
      await app.close();
    }
  });
});
