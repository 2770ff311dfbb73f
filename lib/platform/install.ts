import type { AbstractHttpAdapter } from '@nestjs/core';
import { SessionPlatformError } from '../errors.js';
import type { SessionRuntime } from '../session/session-runtime.js';
import { installOnExpress } from './express.js';
import { checkFastifyHook, installOnFastify } from './fastify.js';

/** The platform instances (an Express app, a Fastify instance) a module is installed on. */
const installed = new WeakSet<object>();

/**
 * Connects the module to the application's HTTP platform.
 * @returns a check to run once the application has started (it fails the start if something
 * undid the installation).
 * @throws SessionPlatformError for a platform other than Express or Fastify, or when the module
 * is already installed on this application (imported twice).
 */
export function installOnPlatform(
  adapter: AbstractHttpAdapter | undefined,
  runtime: SessionRuntime,
): () => void {
  const type = adapter?.getType?.();
  const instance = platformOf(adapter);
  if (instance !== undefined) {
    // A second forRoot() would silently take over on Express and clash on Fastify.
    if (installed.has(instance)) {
      throw new SessionPlatformError(
        'CookieSessionModule is imported more than once in this application (forRoot() or ' +
          'forRootAsync() in two modules): import it once, in the root module. It is global: ' +
          'SessionService and @Session() work in every module.',
      );
    }
    installed.add(instance);
  }
  if (type === 'express') {
    installOnExpress(instance as never, runtime);
    return () => undefined;
  }
  if (type === 'fastify') {
    const hook = installOnFastify(adapter as never, instance as never, runtime);
    return () => checkFastifyHook(adapter as never, hook);
  }
  throw new SessionPlatformError(
    `the HTTP platform ${type ? `"${type}"` : 'of this application'} is not supported: use ` +
      '@nestjs/platform-express or @nestjs/platform-fastify.',
  );
}

/**
 * Fails the start of an HTTP application that imports the bare `CookieSessionModule` but no
 * `forRoot()`: it would run without sessions and without the cross-origin check. An application
 * without an HTTP platform (a microservice, a standalone context) is not checked.
 */
export function checkInstalledByForRoot(adapter: AbstractHttpAdapter | undefined): void {
  const instance = platformOf(adapter);
  if (instance === undefined || installed.has(instance)) return;
  throw new SessionPlatformError(
    'CookieSessionModule is imported without forRoot() or forRootAsync(): sessions and their ' +
      'cross-origin check are not set up. Import CookieSessionModule.forRoot({ secret }) once, in ' +
      'the root module; feature modules need not import it (it is global).',
  );
}

/** The Express app or Fastify instance behind `adapter`, if there is one. */
function platformOf(adapter: AbstractHttpAdapter | undefined): object | undefined {
  const instance: unknown = adapter?.getInstance?.();
  return instance !== null && (typeof instance === 'object' || typeof instance === 'function')
    ? instance
    : undefined;
}
