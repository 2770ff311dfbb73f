import { jest } from '@jest/globals';
import { createRequire } from 'node:module';

/**
 * `@nestjs/mercurius`, loaded under jest. Mercurius `require()`s @fastify/static, which
 * `require()`s content-disposition 3, an ES module. Node does that itself since 20.19, but
 * jest's module runtime only from Node 24.9 ("Must use import to load ES Module"), so this
 * hands jest the ES module, loaded with `import()`, for that one `require()`. Apps need nothing.
 */
export async function loadMercurius(): Promise<typeof import('@nestjs/mercurius')> {
  const require = createRequire(import.meta.url);
  const fastifyStatic = require.resolve('@fastify/static', {
    paths: [require.resolve('mercurius')],
  });
  const contentDisposition = require.resolve('content-disposition', { paths: [fastifyStatic] });
  const esm = await import(contentDisposition);
  jest.doMock(contentDisposition, () => ({ ...esm }));
  return import('@nestjs/mercurius');
}
