import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { RequestSession } from '../../lib/session/request-session.js';
import { SessionRuntime } from '../../lib/session/session-runtime.js';
import { isClearing, parseSetCookie, type SetCookie } from '../support/cookies.js';
import { sealTimes } from '../support/seal.js';
import { writeCookieSessionsValue } from '../legacy/cookie-sessions-format.js';

const SECRET = 'Vq3xN8rT2mLw9pZs4kYb7hJd1fGc6eRu';
const DAY = 86_400_000;
const silent = { warn: () => undefined, error: () => undefined, log: () => undefined };

function runtimeWith(extra: Record<string, unknown> = {}): SessionRuntime {
  return new SessionRuntime({ secret: SECRET, secure: false, ...extra }, silent);
}

/**
 * The session of a request carrying `cookie` (brought in at `readAt`), and a way to send its
 * response's headers.
 */
function requestSession(runtime: SessionRuntime, cookie?: string, readAt?: number) {
  const req = new IncomingMessage(new Socket());
  req.method = 'GET';
  req.url = '/';
  if (cookie !== undefined) req.headers.cookie = cookie;
  const res = new ServerResponse(req);
  const session = new RequestSession(req, res, runtime, runtime.carried(req, readAt), undefined);
  const respond = (): SetCookie[] => {
    res.writeHead(200);
    const header = res.getHeader('set-cookie') as string[] | undefined;
    return (header ?? []).map(parseSetCookie);
  };
  return { req, session, respond };
}

/** The `Cookie` header of a session of `runtime` that holds `data`. */
function loggedIn(runtime: SessionRuntime, data: Record<string, unknown>): string {
  const { session, respond } = requestSession(runtime);
  Object.assign(session.current, data);
  const [cookie] = respond();
  return `${cookie.name}=${cookie.value}`;
}

describe('request session', () => {
  describe('request.session', () => {
    it.each([[5], ['text'], [true], [[{ user: 'ada' }]], [undefined]])(
      'cannot be set to %j, and keeps its data',
      (value) => {
        const { session } = requestSession(runtimeWith());
        session.current.user = 'ada';
        expect(() => {
          session.current = value;
        }).toThrow(
          new TypeError(
            'request.session can only be set to a plain object (new data) or null (destroy)',
          ),
        );
        expect({ ...session.current }).toEqual({ user: 'ada' });
      },
    );

    it('set to an object replaces the data with a copy of it', () => {
      const runtime = runtimeWith();
      const { session, respond } = requestSession(runtime, loggedIn(runtime, { user: 'ada' }));
      const data = { cart: [1] };
      session.current = data;
      session.current.more = true;
      expect({ ...session.current }).toEqual({ cart: [1], more: true });
      expect(data).toEqual({ cart: [1] });
      expect(session.isNew).toBe(false);
      expect(respond()).toHaveLength(1);
    });
  });

  describe('request.sessionOptions', () => {
    it.each([[null], ['strict'], [42], [undefined]])('cannot be set to %j', (value) => {
      const { session } = requestSession(runtimeWith());
      expect(() => {
        session.options = value as never;
      }).toThrow(new TypeError('request.sessionOptions must be an object'));
    });

    it('set to a whole object with a maxAge: the lifetime travels in the seal and the cookie persists', () => {
      const runtime = runtimeWith({ sessionCookie: true });
      const { session, respond } = requestSession(runtime);
      session.current.user = 'ada';
      session.options = { ...session.options, maxAge: 30 * DAY };
      const [cookie] = respond();
      expect(sealTimes(cookie.value).lifetime).toBe(30 * DAY);
      expect(cookie.attributes['max-age']).toBe(String(30 * 86_400));

      // A later response of that session keeps the lifetime it chose.
      const later = requestSession(runtime, `${cookie.name}=${cookie.value}`);
      later.session.current.views = 1;
      const [renewed] = later.respond();
      expect(sealTimes(renewed.value).lifetime).toBe(30 * DAY);
      expect(renewed.attributes['max-age']).toBe(String(30 * 86_400));
    });

    it("set to an object with the module's maxAge: the session follows the module's lifetime", () => {
      const runtime = runtimeWith({ sessionCookie: true });
      const { session, respond } = requestSession(runtime);
      session.current.user = 'ada';
      session.options = { ...session.options, maxAge: runtime.options.maxAge };
      const [cookie] = respond();
      expect(sealTimes(cookie.value).lifetime).toBe(0);
      expect(cookie.attributes['max-age']).toBeUndefined();
    });

    it('set to an object without maxAge: no lifetime of its own is sealed', () => {
      const runtime = runtimeWith();
      const { session, respond } = requestSession(runtime);
      session.current.user = 'ada';
      session.options = { path: '/' } as never;
      const [cookie] = respond();
      expect(sealTimes(cookie.value).lifetime).toBe(0);
      expect(cookie.attributes['max-age']).toBe(String(DAY / 1000));
    });

    it('with an expires and maxAge left out: the cookie ends then, and the session keeps its lifetime', () => {
      const runtime = runtimeWith();
      const { session, respond } = requestSession(runtime);
      session.current.user = 'ada';
      session.options.maxAge = 30 * DAY;
      const [cookie] = respond();

      const later = requestSession(runtime, `${cookie.name}=${cookie.value}`);
      const expires = new Date(Date.now() + 2 * DAY);
      later.session.options.expires = expires;
      later.session.options.maxAge = undefined as never;
      later.session.current.views = 1;
      const [ending] = later.respond();
      expect(sealTimes(ending.value)).toMatchObject({
        expiresAt: expires.getTime(),
        lifetime: 30 * DAY,
      });
    });

    it.each([-5, 0])(
      'with maxAge %p beside an expires (the module’s): refused by name, nothing written',
      (maxAge) => {
        const runtime = runtimeWith({ expires: new Date(Date.now() + DAY) });
        const { session, respond } = requestSession(runtime);
        session.current.user = 'ada';
        session.options.maxAge = maxAge;
        expect(() => session.prepare()).toThrow(/"request\.sessionOptions\.maxAge"/);
        expect(respond()).toEqual([]);
      },
    );

    it('set to an object that breaks the cookie rules: nothing is written', () => {
      const errors: string[] = [];
      const runtime = new SessionRuntime(
        { secret: SECRET, secure: false },
        { ...silent, error: (message: string) => void errors.push(message) },
      );
      const { session, respond } = requestSession(runtime);
      session.current.user = 'ada';
      session.options = { ...session.options, sameSite: 'none' };
      expect(() => session.prepare()).toThrow(/"request\.sessionOptions\.sameSite" 'none'/);
      expect(respond()).toEqual([]);
      expect(errors).toEqual([]);
    });
  });

  describe('validate', () => {
    it.each([[undefined], [1], ['true'], [{}], [null]])(
      'ends the session when it returns %j instead of true (fails closed)',
      async (answer) => {
        const runtime = runtimeWith({ validate: () => answer });
        const { req, session, respond } = requestSession(
          runtime,
          loggedIn(runtimeWith(), { user: 'ada' }),
        );
        await session.validate(req);
        expect({ ...session.current }).toEqual({});
        expect(session.isNew).toBe(true);
        const cookies = respond();
        expect(cookies).toHaveLength(1);
        expect(isClearing(cookies[0])).toBe(true);
      },
    );

    it('keeps the session when it returns true', async () => {
      const runtime = runtimeWith({ validate: async () => true });
      const { req, session, respond } = requestSession(runtime, loggedIn(runtime, { user: 'ada' }));
      await session.validate(req);
      expect({ ...session.current }).toEqual({ user: 'ada' });
      expect(respond()).toEqual([]);
    });

    it('that rejects with no reason still fails the request, with an error of its own', async () => {
      const runtime = runtimeWith({ validate: () => Promise.reject(undefined) });
      const { req, session, respond } = requestSession(runtime, loggedIn(runtime, { user: 'ada' }));
      await session.validate(req);
      expect(() => session.current).toThrow('validate() failed');
      const failure = session.takeFailure();
      expect(failure).toBeInstanceOf(Error);
      expect((failure as Error).message).toBe('validate() failed');
      expect(respond()).toEqual([]);
    });

    it('that throws: reading the session rethrows that error until it is taken, and the cookie stays', async () => {
      const broken = new Error('user store unavailable');
      const runtime = runtimeWith({
        validate: () => {
          throw broken;
        },
      });
      const { req, session, respond } = requestSession(runtime, loggedIn(runtime, { user: 'ada' }));
      await session.validate(req);
      expect(() => session.current).toThrow(broken);
      expect(session.takeFailure()).toBe(broken);
      // Once handed to Nest's exception layer, the session reads as new and empty.
      expect({ ...session.current }).toEqual({});
      expect(session.isNew).toBe(true);
      session.current.user = 'someone';
      session.prepare();
      expect(respond()).toEqual([]);
    });

    it('is not asked about a request without a session', async () => {
      let calls = 0;
      const runtime = runtimeWith({ validate: () => ++calls > 0 });
      const { req, session } = requestSession(runtime);
      await session.validate(req);
      expect(calls).toBe(0);
      expect(session.takeFailure()).toBeUndefined();
    });
  });

  describe("a replaced library's cookie", () => {
    it('is judged at the time its request came in, however late the session is first read', () => {
      const oldSecret = 'an old cookie-sessions secret 32';
      const timeout = 10_000;
      const runtime = runtimeWith({ legacy: { cookieSessions: { secret: oldSecret, timeout } } });
      const cameIn = Date.now() - 2_000;
      // Still valid when the request came in, a second before it ran out; run out 2 s later.
      const cookie = `_node=${writeCookieSessionsValue(oldSecret, { user: 'grace' }, cameIn - timeout + 1_000)}`;
      const { session } = requestSession(runtime, cookie, cameIn);
      expect(session.current.user).toBe('grace');
    });
  });
});
