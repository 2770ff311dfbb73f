/**
 * The second jest run: the e2e suites of test/e2e (unchanged) and the specs of this folder,
 * against NestJS 11 — the CommonJS packages installed in test/nest11/node_modules by
 * `npm ci --prefix test/nest11` — instead of the NestJS 12 of the repo's node_modules.
 *
 * jest resolves the imports of every file it loads (lib/*.ts, the e2e specs and the Nest
 * packages themselves), so one moduleNameMapper sends every `@nestjs/*`, `rxjs` and
 * `reflect-metadata` import (subpaths too) to the Nest 11 install: one copy of each, whoever
 * imports it. jest, ts-jest, typescript and supertest come from the repo root.
 *
 * Run from the repo root: `node --experimental-vm-modules node_modules/jest/bin/jest.js -c test/nest11/jest.config.js`
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const nest11 = path.join(here, 'node_modules');

export default {
  rootDir: root,
  testEnvironment: 'node',
  roots: ['<rootDir>/test/e2e', '<rootDir>/test/nest11'],
  testMatch: ['<rootDir>/test/e2e/**/*.spec.ts', '<rootDir>/test/nest11/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/\\.tmp/'],
  modulePathIgnorePatterns: ['<rootDir>/test/nest11/\\.tmp/'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
    '^(@nestjs/[^/]+|rxjs|reflect-metadata)(/.*)?$': `${nest11}/$1$2`,
  },
  transform: {
    '^.+\\.ts$': [
      'ts-jest',
      {
        useESM: true,
        tsconfig: path.join(root, 'tsconfig.json'),
        diagnostics: { ignoreCodes: [151002] },
      },
    ],
  },
  testTimeout: 30000,
};
