import type { ServerResponse } from 'node:http';
import type { AbstractHttpAdapter } from '@nestjs/core';
import { requestScope } from '../session/request-scope.js';
import type { SessionContext } from '../session/session-context.js';
import {
  CONTEXT,
  RESPONSE,
  SessionState,
  carriesCookie,
  type SessionRequest,
} from '../session/session-state.js';

type Done = (err?: unknown) => void;
type RequestHook = (req: FastifyLikeRequest, reply: FastifyLikeReply, done: Done) => unknown;
interface FastifyLikeRequest {
  raw: SessionRequest;
}
interface FastifyLikeReply {
  raw: ServerResponse;
}
/** The members of an Express app used here. */
interface ExpressAppLike {
  request: object;
  use(middleware: (req: SessionRequest, res: unknown, next: () => void) => void): void;
}
/** The few members of Nest's Fastify adapter and Fastify instance used here. */
interface FastifyAdapterLike {
  onRequestHook?: RequestHook;
  setOnRequestHook?(hook: RequestHook): void;
}
interface FastifyInstanceLike {
  addHook(name: 'onRequest' | 'preHandler', hook: RequestHook): void;
  decorateRequest(
    name: string,
    accessor: { getter(): unknown; setter(value: unknown): void },
  ): void;
  hasRequestDecorator(name: string): boolean;
}

/** `request.session` / `request.sessionOptions` on a raw Node request. */
const RAW_ACCESSORS: PropertyDescriptorMap = {
  session: {
    configurable: true,
    get(this: SessionRequest) {
      return SessionState.of(this).current;
    },
    set(this: SessionRequest, value: unknown) {
      SessionState.of(this).current = value;
    },
  },
  sessionOptions: {
    configurable: true,
    get(this: SessionRequest) {
      return SessionState.of(this).options;
    },
    set(this: SessionRequest, value: never) {
      SessionState.of(this).options = value;
    },
  },
};

/**
 * Starts the session work of a request: with `autoRenew`, a request carrying the cookie gets
 * its state now, so the cookie is renewed even if no code touches the session.
 */
function renewIfCarried(req: SessionRequest, context: SessionContext): void {
  if (context.options.autoRenew && carriesCookie(req, context)) SessionState.of(req);
}

/**
 * Express: the accessors go on the app's request prototype, so `req.session` works in every
 * middleware whatever its order, at no per-request cost. One plain middleware opens the request
 * scope for guards, interceptors, pipes, handlers and filters. It is added while Nest configures
 * modules: after Nest's body parsers (whose stream callbacks would lose the async context) and
 * before module middleware and routes. A plain `app.use` layer, not a Nest middleware, whose
 * route matching costs more than everything this one does.
 */
function installOnExpress(app: ExpressAppLike, context: SessionContext): void {
  Object.defineProperties(app.request, RAW_ACCESSORS);
  Object.defineProperty(app.request, CONTEXT, { value: context, configurable: true });
  app.use((req: SessionRequest, _res: unknown, next: () => void) => {
    renewIfCarried(req, context);
    requestScope.run(req, next);
  });
}

/**
 * Fastify: Nest's request hook runs before middie, so `app.use()` middleware sees
 * `req.session` on the raw request; `request.session` on Fastify's request is a decorator.
 * Content parsing loses the async context, so a `preHandler` hook opens the request scope
 * again right before Nest's guards and handler.
 */
function installOnFastify(
  adapter: FastifyAdapterLike,
  instance: FastifyInstanceLike,
  context: SessionContext,
): void {
  for (const name of ['session', 'sessionOptions'] as const) {
    if (instance.hasRequestDecorator(name)) {
      throw new Error(
        `CookieSessionModule: Fastify already has a "request.${name}" (another session plugin such as ` +
          '@fastify/session or @fastify/secure-session?). Use one session library per app.',
      );
    }
    const accessor = RAW_ACCESSORS[name];
    instance.decorateRequest(name, {
      getter(this: FastifyLikeRequest) {
        return accessor.get!.call(this.raw);
      },
      setter(this: FastifyLikeRequest, value: unknown) {
        accessor.set!.call(this.raw, value);
      },
    });
  }

  const attach = (req: FastifyLikeRequest, reply: FastifyLikeReply): SessionRequest => {
    const raw = req.raw;
    if (raw[CONTEXT] !== context) {
      raw[CONTEXT] = context;
      raw[RESPONSE] = reply.raw;
      // Two defineProperty calls: defineProperties first builds a descriptor list (slower).
      Object.defineProperty(raw, 'session', RAW_ACCESSORS.session);
      Object.defineProperty(raw, 'sessionOptions', RAW_ACCESSORS.sessionOptions);
      renewIfCarried(raw, context);
    }
    return raw;
  };

  if (typeof adapter.setOnRequestHook === 'function') {
    // A single slot in Nest's adapter: keep whatever hook was there and run it inside ours.
    const previous = adapter.onRequestHook;
    adapter.setOnRequestHook(function (this: unknown, req, reply, done) {
      const raw = attach(req, reply);
      return requestScope.run(raw, () =>
        previous ? previous.call(this, req, reply, done) : done(),
      );
    });
  } else {
    instance.addHook('onRequest', (req, reply, done) => requestScope.run(attach(req, reply), done));
  }
  // Only requests whose body was parsed lost the scope: the others keep the one opened above.
  instance.addHook('preHandler', (req, _reply, done) =>
    requestScope.getStore() === req.raw ? done() : requestScope.run(req.raw, done),
  );
}

/** Connects the module to the application's HTTP platform (Express or Fastify). */
export function installOnPlatform(
  adapter: AbstractHttpAdapter | undefined,
  context: SessionContext,
): void {
  const type = adapter?.getType?.();
  if (type === 'express') installOnExpress(adapter!.getInstance(), context);
  else if (type === 'fastify') installOnFastify(adapter as never, adapter!.getInstance(), context);
}
