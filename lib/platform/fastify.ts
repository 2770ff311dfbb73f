import type { ServerResponse } from 'node:http';
import { SessionPlatformError } from '../errors.js';
import type { SessionRuntime } from '../session/session-runtime.js';
import { emitBodyEventsInScope, requestScope } from './request-scope.js';
import {
  RAW_ACCESSORS,
  RESPONSE,
  RUNTIME,
  SESSION,
  enterRequest,
  type SessionRequest,
} from './session-request.js';

type Done = (err?: unknown) => void;
interface FastifyLikeRequest {
  raw: SessionRequest;
}
interface FastifyLikeReply {
  raw: ServerResponse;
}
type RequestHook = (req: FastifyLikeRequest, reply: FastifyLikeReply, done: Done) => unknown;
type SendHook = (req: FastifyLikeRequest, reply: unknown, payload: unknown, done: Done) => unknown;
/** The members of Nest's Fastify adapter and of the Fastify instance used here. */
interface FastifyAdapterLike {
  /** Nest's single request-hook slot: runs before middie, so before `app.use()` middleware. */
  onRequestHook?: RequestHook;
  setOnRequestHook(hook: RequestHook): void;
}
interface FastifyInstanceLike {
  addHook(name: 'preHandler', hook: RequestHook): void;
  addHook(name: 'onSend', hook: SendHook): void;
  decorateRequest(
    name: string,
    accessor: { getter(): unknown; setter(value: unknown): void },
  ): void;
  hasRequestDecorator(name: string): boolean;
}

/**
 * Fastify: every difference of this platform is here.
 * - `request.session` on Fastify's request is a decorator reading the raw request's session.
 * - The entry work runs in Nest's request hook (`setOnRequestHook`, a single slot of the adapter
 *   that runs before middie): the raw request gets its accessors for `app.use()` middleware, and
 *   a due validation completes before any of it. Whatever hook was in the slot runs inside ours;
 *   `checkFastifyHook` fails the start if something replaced ours afterwards.
 * - A request body's events are emitted inside the scope (see `emitBodyEventsInScope`), so
 *   content-type parsers have it; a `preHandler` hook opens it again right before Nest's guards
 *   and handler for a request whose parsing lost it all the same (a stream a hook put in place).
 * - Without the global interceptor, an `onSend` hook seals the session early, so a session too
 *   large for its cookies still becomes a 500.
 * @returns the hook placed in the adapter's slot.
 */
export function installOnFastify(
  adapter: FastifyAdapterLike,
  instance: FastifyInstanceLike,
  runtime: SessionRuntime,
): RequestHook {
  for (const name of ['session', 'sessionOptions'] as const) {
    if (instance.hasRequestDecorator(name)) {
      throw new SessionPlatformError(
        `Fastify already has a "request.${name}" (another session plugin such as @fastify/session or ` +
          '@fastify/secure-session?). Use one session library per app.',
      );
    }
    const accessor: PropertyDescriptor = RAW_ACCESSORS[name];
    instance.decorateRequest(name, {
      getter(this: FastifyLikeRequest) {
        return accessor.get!.call(this.raw);
      },
      setter(this: FastifyLikeRequest, value: unknown) {
        accessor.set!.call(this.raw, value);
      },
    });
  }

  const previous = adapter.onRequestHook;
  const hook: RequestHook = function (this: unknown, req, reply, done) {
    const raw = req.raw;
    raw[RUNTIME] = runtime;
    raw[RESPONSE] = reply.raw;
    Object.defineProperty(raw, 'session', RAW_ACCESSORS.session);
    Object.defineProperty(raw, 'sessionOptions', RAW_ACCESSORS.sessionOptions);
    // No closure on the common path: no earlier hook to chain, no validation to wait for.
    const next = previous ? () => previous.call(this, req, reply, done) : done;
    emitBodyEventsInScope(raw);
    const validation = enterRequest(raw, runtime, req);
    if (!validation) return requestScope.run(raw, next);
    validation.then(() => runAfterValidation(() => requestScope.run(raw, next), done), done);
  };
  adapter.setOnRequestHook(hook);

  // Only requests whose body was parsed lost the scope: the others keep the one opened above.
  instance.addHook('preHandler', (req, _reply, done) =>
    requestScope.getStore() === req.raw ? done() : requestScope.run(req.raw, done),
  );
  if (!runtime.options.globalInterceptor) {
    instance.addHook('onSend', (req, _reply, _payload, done) => {
      try {
        req.raw[SESSION]?.prepare();
        done();
      } catch (error) {
        done(error);
      }
    });
  }
  return hook;
}

/**
 * Runs the rest of the request hook once a validation passed. The adapter completes a hook by
 * its `done` or by the promise it returns; after the validation's wait nobody is left to read
 * that promise, so whichever way the earlier hook finishes (or throws) reaches `done` here.
 */
function runAfterValidation(rest: () => unknown, done: Done): void {
  const failed = (error: unknown) => done(error ?? new Error('The request hook failed'));
  let result: unknown;
  try {
    result = rest();
  } catch (error) {
    failed(error);
    return;
  }
  if (isPromiseLike(result)) result.then(() => done(), failed);
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | undefined)?.then === 'function';
}

/** Fails the start, loudly, when something replaced the module's request hook. */
export function checkFastifyHook(adapter: FastifyAdapterLike, hook: RequestHook): void {
  if (adapter.onRequestHook !== hook) {
    throw new SessionPlatformError(
      "the Fastify adapter's request hook (setOnRequestHook) was replaced after CookieSessionModule " +
        'installed its own: sessions would silently stop working. Set your hook before the module ' +
        "initialises (it runs inside the module's), or call the previous hook from yours.",
    );
  }
}
