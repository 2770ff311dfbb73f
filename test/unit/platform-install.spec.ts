import { jest } from '@jest/globals';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { SessionPlatformError } from '../../lib/errors.js';
import { installOnExpress } from '../../lib/platform/express.js';
import { checkFastifyHook, installOnFastify } from '../../lib/platform/fastify.js';
import { installOnPlatform } from '../../lib/platform/install.js';
import { requestScope } from '../../lib/platform/request-scope.js';
import { SESSION } from '../../lib/platform/session-request.js';
import { SessionRuntime } from '../../lib/session/session-runtime.js';

const SECRET = 'Vq3xN8rT2mLw9pZs4kYb7hJd1fGc6eRu';
const silent = { warn: () => undefined, error: () => undefined, log: () => undefined };

function runtimeWith(extra: Record<string, unknown> = {}): SessionRuntime {
  return new SessionRuntime({ secret: SECRET, secure: false, ...extra }, silent);
}

/** A raw request carrying `cookie`, with the response Express would link to it. */
function rawRequest(cookie?: string): IncomingMessage & { res: ServerResponse } {
  const req = new IncomingMessage(new Socket()) as IncomingMessage & { res: ServerResponse };
  req.method = 'GET';
  req.url = '/';
  if (cookie !== undefined) req.headers.cookie = cookie;
  req.res = new ServerResponse(req);
  return req;
}

/** A session cookie of `runtime` holding `data`, sealed now. */
function sessionCookie(runtime: SessionRuntime, data: object): string {
  const now = Date.now();
  const seal = runtime.sealer.seal(JSON.stringify(data), {
    createdAt: now,
    issuedAt: now,
    expiresAt: now + 60_000,
    validatedAt: now,
    lifetime: 0,
  });
  return `${runtime.options.name}=${seal}`;
}

type Layer = (req: unknown, res: unknown, next: (err?: unknown) => void) => void;

/** The members of an Express 5 app the module uses. */
function fakeExpressApp(withRouter = true) {
  const stack: Layer[] = [];
  const app = {
    request: Object.create(IncomingMessage.prototype) as object,
    router: withRouter ? { stack } : undefined,
    use: (layer: Layer) => void stack.push(layer),
  };
  return { app, stack };
}

type Hook = (req: unknown, reply: unknown, done: (err?: unknown) => void) => unknown;

/** Nest's Fastify adapter (one request-hook slot) and the Fastify instance behind it. */
function fakeFastify(decorated: string[] = []) {
  const hooks: Record<string, unknown[]> = {};
  const decorators: string[] = [];
  const instance = {
    addHook: (name: string, hook: unknown) => void (hooks[name] ??= []).push(hook),
    decorateRequest: (name: string) => void decorators.push(name),
    hasRequestDecorator: (name: string) => decorated.includes(name),
  };
  const adapter = {
    onRequestHook: undefined as Hook | undefined,
    setOnRequestHook(hook: Hook) {
      this.onRequestHook = hook;
    },
    getType: () => 'fastify',
    getInstance: () => instance,
  };
  return { adapter, instance, hooks, decorators };
}

describe('platform installation', () => {
  describe('installOnPlatform', () => {
    it('refuses an HTTP platform other than Express or Fastify, naming it', () => {
      const adapter = { getType: () => 'koa', getInstance: () => ({}) };
      expect(() => installOnPlatform(adapter as never, runtimeWith())).toThrow(
        new SessionPlatformError(
          'the HTTP platform "koa" is not supported: use @nestjs/platform-express or @nestjs/platform-fastify.',
        ),
      );
    });

    it('refuses an application without an HTTP adapter', () => {
      const attempt = () => installOnPlatform(undefined, runtimeWith());
      expect(attempt).toThrow(SessionPlatformError);
      expect(attempt).toThrow(/the HTTP platform of this application is not supported/);
    });

    it('refuses an adapter that does not say its type', () => {
      expect(() => installOnPlatform({} as never, runtimeWith())).toThrow(
        /the HTTP platform of this application is not supported/,
      );
    });

    it('on Express, puts the session accessors on the request prototype and checks nothing later', () => {
      const { app, stack } = fakeExpressApp();
      const adapter = { getType: () => 'express', getInstance: () => app };
      const check = installOnPlatform(adapter as never, runtimeWith());
      expect(Object.getOwnPropertyDescriptor(app.request, 'session')?.get).toBeInstanceOf(Function);
      expect(stack).toHaveLength(2);
      expect(() => check()).not.toThrow();
    });

    it('on Fastify, returns a check that fails once the request hook was replaced', () => {
      const { adapter } = fakeFastify();
      const check = installOnPlatform(adapter as never, runtimeWith());
      expect(() => check()).not.toThrow();
      adapter.setOnRequestHook((_req, _reply, done) => done());
      expect(() => check()).toThrow(SessionPlatformError);
      expect(() => check()).toThrow(/request hook \(setOnRequestHook\) was replaced/);
    });
  });

  describe('Express', () => {
    it('refuses an app without a router stack', () => {
      const { app } = fakeExpressApp(false);
      expect(() => installOnExpress(app as never, runtimeWith())).toThrow(
        /this Express app has no router stack \(app\.router\.stack\): Express 5 is required/,
      );
    });

    it('puts its entry layer in front of middleware added before it, and the scope layer after', () => {
      const { app, stack } = fakeExpressApp();
      const earlier: Layer = (_req, _res, next) => next();
      stack.push(earlier);
      installOnExpress(app as never, runtimeWith());
      expect(stack).toHaveLength(3);
      expect(stack[1]).toBe(earlier);
      const req = rawRequest();
      let scoped: unknown;
      stack[2](req, req.res, () => {
        scoped = requestScope.getStore();
      });
      expect(scoped).toBe(req);
    });

    it('lets a request without a session cookie through at once', () => {
      const { app, stack } = fakeExpressApp();
      installOnExpress(app as never, runtimeWith());
      const next = jest.fn();
      stack[0](rawRequest(), undefined, next);
      expect(next).toHaveBeenCalledWith();
    });

    it('hands an error raised while validating on entry to Express, not to the app', async () => {
      const runtime = runtimeWith({ validate: () => true });
      const { app, stack } = fakeExpressApp();
      installOnExpress(app as never, runtime);
      const req = rawRequest(sessionCookie(runtime, { user: 'ada' }));
      Object.setPrototypeOf(req, app.request); // as Express does for each request
      const broken = new Error('decryption failed');
      jest.spyOn(runtime.sealer, 'open').mockImplementation(() => {
        throw broken;
      });
      const passed = await new Promise((resolve) => stack[0](req, req.res, resolve));
      expect(passed).toBe(broken);
    });

    it('continues once a due validation passed', async () => {
      const validate = jest.fn(() => true);
      const runtime = runtimeWith({ validate });
      const { app, stack } = fakeExpressApp();
      installOnExpress(app as never, runtime);
      const req = rawRequest(sessionCookie(runtime, { user: 'ada' }));
      Object.setPrototypeOf(req, app.request);
      const passed = await new Promise((resolve) => stack[0](req, req.res, resolve));
      expect(passed).toBeUndefined();
      expect(validate).toHaveBeenCalledTimes(1);
      expect(validate.mock.calls[0]).toEqual([{ user: 'ada' }, req]);
    });
  });

  describe('Fastify', () => {
    it.each(['session', 'sessionOptions'])(
      'refuses an instance that already has request.%s (another session plugin)',
      (name) => {
        const { adapter, instance } = fakeFastify([name]);
        expect(() => installOnFastify(adapter as never, instance as never, runtimeWith())).toThrow(
          new RegExp(`Fastify already has a "request\\.${name}" \\(another session plugin`),
        );
      },
    );

    it('decorates request.session and request.sessionOptions, reading the raw request', () => {
      const { adapter, instance, decorators } = fakeFastify();
      installOnFastify(adapter as never, instance as never, runtimeWith());
      expect(decorators).toEqual(['session', 'sessionOptions']);
    });

    it('runs the hook that held the slot before, inside its own and within the request scope', () => {
      const { adapter, instance } = fakeFastify();
      let scopedInPrevious: unknown;
      const previous = jest.fn((_req: unknown, _reply: unknown, done: () => void) => {
        scopedInPrevious = requestScope.getStore();
        done();
      });
      adapter.setOnRequestHook(previous);
      const hook = installOnFastify(adapter as never, instance as never, runtimeWith());
      expect(adapter.onRequestHook).toBe(hook);
      const raw = rawRequest();
      const done = jest.fn();
      adapter.onRequestHook!({ raw }, { raw: raw.res }, done);
      expect(previous).toHaveBeenCalledTimes(1);
      expect(done).toHaveBeenCalledWith();
      expect(scopedInPrevious).toBe(raw);
      expect((raw as unknown as { session: object }).session).toEqual({});
    });

    it('hands an error raised while validating on entry to Fastify, and skips the previous hook', async () => {
      const runtime = runtimeWith({ validate: () => true });
      const { adapter, instance } = fakeFastify();
      const previous = jest.fn();
      adapter.setOnRequestHook(previous);
      installOnFastify(adapter as never, instance as never, runtime);
      const raw = rawRequest(sessionCookie(runtime, { user: 'ada' }));
      const broken = new Error('decryption failed');
      jest.spyOn(runtime.sealer, 'open').mockImplementation(() => {
        throw broken;
      });
      const passed = await new Promise((resolve) =>
        adapter.onRequestHook!({ raw }, { raw: raw.res }, resolve),
      );
      expect(passed).toBe(broken);
      expect(previous).not.toHaveBeenCalled();
    });

    it('adds an onSend hook only without the global interceptor, and it reports a session too large', () => {
      const withInterceptor = fakeFastify();
      installOnFastify(
        withInterceptor.adapter as never,
        withInterceptor.instance as never,
        runtimeWith(),
      );
      expect(withInterceptor.hooks.onSend).toBeUndefined();

      const { adapter, instance, hooks } = fakeFastify();
      installOnFastify(
        adapter as never,
        instance as never,
        runtimeWith({ globalInterceptor: false }),
      );
      expect(hooks.onSend).toHaveLength(1);
      const onSend = hooks.onSend[0] as (
        req: unknown,
        r: unknown,
        p: unknown,
        done: (e?: unknown) => void,
      ) => void;

      const untouched = rawRequest();
      const doneUntouched = jest.fn();
      onSend({ raw: untouched }, {}, '', doneUntouched);
      expect(doneUntouched).toHaveBeenCalledWith();

      const raw = rawRequest();
      adapter.onRequestHook!({ raw }, { raw: raw.res }, () => undefined);
      (raw as unknown as { session: Record<string, unknown> }).session.big = 'x'.repeat(20_000);
      const done = jest.fn();
      onSend({ raw }, {}, '', done);
      expect(done).toHaveBeenCalledTimes(1);
      expect((done.mock.calls[0] as unknown[])[0]).toMatchObject({ code: 'ERR_SESSION_TOO_LARGE' });
      expect((raw as unknown as Record<symbol, unknown>)[SESSION]).toBeDefined();
    });

    it('reopens the request scope in preHandler only when a body parser lost it', () => {
      const { adapter, instance, hooks } = fakeFastify();
      installOnFastify(adapter as never, instance as never, runtimeWith());
      const preHandler = hooks.preHandler[0] as Hook;
      const raw = rawRequest();
      let scoped: unknown;
      preHandler({ raw }, {}, () => {
        scoped = requestScope.getStore();
      });
      expect(scoped).toBe(raw);
      requestScope.run(raw, () =>
        preHandler({ raw }, {}, () => {
          scoped = requestScope.getStore();
        }),
      );
      expect(scoped).toBe(raw);
    });

    it('checkFastifyHook passes while the module hook is in the slot', () => {
      const { adapter, instance } = fakeFastify();
      const hook = installOnFastify(adapter as never, instance as never, runtimeWith());
      expect(() => checkFastifyHook(adapter as never, hook)).not.toThrow();
      adapter.onRequestHook = undefined;
      expect(() => checkFastifyHook(adapter as never, hook)).toThrow(SessionPlatformError);
    });
  });
});
