import type { AbstractHttpAdapter } from '@nestjs/core';
import { SessionPlatformError } from '../errors.js';
import type { SessionRuntime } from '../session/session-runtime.js';
import { installOnExpress } from './express.js';
import { checkFastifyHook, installOnFastify } from './fastify.js';

/**
 * Connects the module to the application's HTTP platform.
 * @returns a check to run once the application has started (it fails the start if something
 * undid the installation).
 * @throws SessionPlatformError for a platform other than Express or Fastify.
 */
export function installOnPlatform(
  adapter: AbstractHttpAdapter | undefined,
  runtime: SessionRuntime,
): () => void {
  const type = adapter?.getType?.();
  if (type === 'express') {
    installOnExpress(adapter!.getInstance(), runtime);
    return () => undefined;
  }
  if (type === 'fastify') {
    const hook = installOnFastify(adapter as never, adapter!.getInstance(), runtime);
    return () => checkFastifyHook(adapter as never, hook);
  }
  throw new SessionPlatformError(
    `the HTTP platform ${type ? `"${type}"` : 'of this application'} is not supported: use ` +
      '@nestjs/platform-express or @nestjs/platform-fastify.',
  );
}
