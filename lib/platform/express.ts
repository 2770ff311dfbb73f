import type { ServerResponse } from 'node:http';
import { SessionPlatformError } from '../errors.js';
import type { SessionRuntime } from '../session/session-runtime.js';
import { emitBodyEventsInScope, requestScope } from './request-scope.js';
import { RAW_ACCESSORS, RUNTIME, enterRequest, type SessionRequest } from './session-request.js';

type Next = (err?: unknown) => void;
type Layer = (req: SessionRequest, res: ServerResponse, next: Next) => void;
/** The members of an Express 5 app used here. */
interface ExpressAppLike {
  request: object;
  router?: { stack?: unknown[] };
  use(layer: Layer): void;
}

/**
 * Express: every difference of this platform is here.
 * - `req.session` / `req.sessionOptions` are accessors on the app's request prototype, so they
 *   work in every middleware whatever its order, at no per-request cost.
 * - An entry layer goes to the FRONT of the app's router stack (`app.router.stack`, Express's
 *   documented router), ahead of middleware the app added in `main.ts` before `init()` (such as
 *   `passport.session()`): a due validation completes before any of it can read the session.
 *   It opens the request scope that `SessionService` reads, so that exception filters have it
 *   too for errors raised before the routes (a body parser refusing a body).
 * - A request body's events are emitted inside the scope (see `emitBodyEventsInScope`).
 * - A second layer, added where Nest configures middleware (after its body parsers and before
 *   the routes), opens the scope again for a request whose middleware lost the async context
 *   (a stream callback not bound to it).
 */
export function installOnExpress(app: ExpressAppLike, runtime: SessionRuntime): void {
  Object.defineProperties(app.request, RAW_ACCESSORS);
  Object.defineProperty(app.request, RUNTIME, { value: runtime, configurable: true });

  app.use((req, _res, next) =>
    requestScope.run(req, () => {
      emitBodyEventsInScope(req);
      const validation = enterRequest(req, runtime, req);
      if (validation) validation.then(() => next(), next);
      else next();
    }),
  );
  const stack = app.router?.stack;
  if (!Array.isArray(stack)) {
    throw new SessionPlatformError(
      'this Express app has no router stack (app.router.stack): Express 5 is required (NestJS 11 and 12 use it).',
    );
  }
  stack.unshift(stack.pop());

  app.use((req, _res, next) =>
    requestScope.getStore() === req ? next() : requestScope.run(req, next),
  );
}
