import { ForbiddenException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import { crossOriginRefusal, judgedMethod } from './cookie/cross-origin.js';
import { CSRF_EXEMPT } from './csrf-exempt.decorator.js';
import { rawRequestOfContext } from './platform/request-of.js';
import { SESSION, type SessionRequest } from './platform/session-request.js';
import type { SessionRuntime } from './session/session-runtime.js';

/**
 * The module's global guard, on every Nest route. Nest runs the global guards of the
 * application's root module first, then this one, then route and controller guards:
 * - refuses cross-origin browser requests with unsafe methods (403), unless the `csrf` option
 *   is `false` or the route is `@CsrfExempt()`;
 * - fails the request through Nest's exception layer when the application's `validate` threw
 *   (the client's cookie is left as it was).
 */
export class SessionGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly runtime: SessionRuntime,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const req = requestOf(context);
    if (req === undefined) return true;
    const policy = this.runtime.options.csrf;
    if (policy) {
      // The route's exemption is looked up only for a request that would be refused.
      const refusal = crossOriginRefusal(methodOf(context, req), req.headers, policy);
      if (refusal !== undefined && !this.exempt(context)) {
        // Middleware ran before this check and may have changed the session (a login strategy
        // applied as Nest middleware): a refused request must not write it.
        req[SESSION]?.refuseWrites();
        throw new ForbiddenException(refusal);
      }
    }
    const failure = req[SESSION]?.takeFailure();
    if (failure !== undefined) throw failure;
    return true;
  }

  private exempt(context: ExecutionContext): boolean {
    return (
      this.reflector.getAllAndOverride<boolean | undefined>(CSRF_EXEMPT, [
        context.getHandler(),
        context.getClass(),
      ]) === true
    );
  }
}

/**
 * The method the cross-origin check judges. A GraphQL mutation changes state whatever request
 * carried it (Mercurius runs one sent as `HEAD`, which Fastify answers on every `GET` route), so
 * it is judged as a `POST`.
 */
function methodOf(context: ExecutionContext, req: SessionRequest): string {
  if (context.getType<string>() === 'graphql') {
    const info = context.getArgByIndex<{ operation?: { operation?: unknown } } | undefined>(3);
    const operation = info?.operation?.operation;
    if (operation !== undefined && operation !== 'query') return 'POST';
  }
  return judgedMethod(req);
}

/** The HTTP request behind a context (a GraphQL operation's too), or `undefined` (WebSockets…). */
function requestOf(context: ExecutionContext): SessionRequest | undefined {
  try {
    return rawRequestOfContext(context);
  } catch {
    return undefined;
  }
}
