import type { IncomingHttpHeaders } from 'node:http';
import { Inject, Injectable } from '@nestjs/common';
import { chunkName, splitIntoChunks } from './cookie/chunks.js';
import { cookieHeaderFrom } from './cookie/cookie-header.js';
import { refusalByOrigin } from './cookie/cross-origin.js';
import type { SessionRequestOptions } from './options/cookie-session-options.interface.js';
import { answered, requestInScope } from './platform/request-scope.js';
import { detachedSession, sessionOf } from './platform/session-request.js';
import type {
  SessionObject as Session,
  SessionData,
  SessionInput,
} from './session/session-data.interface.js';
import type { RequestSession } from './session/request-session.js';
import { SessionRuntime } from './session/session-runtime.js';
import { newSessionTimes, toJson, type OpenedSession } from './session/session-sealer.js';

/**
 * The current request's session, from any provider, guard, interceptor, pipe, filter or
 * controller — a singleton that finds the request through AsyncLocalStorage, not a
 * REQUEST-scoped provider. It follows the async context: a callback scheduled while another
 * request is handled sees that request's session until that request is answered, and an empty
 * session with a warning after (its session may be another user's).
 *
 * @example
 * @Injectable()
 * export class LoggedInGuard implements CanActivate {
 *   constructor(private readonly sessions: SessionService) {}
 *   canActivate() {
 *     return this.sessions.get<{ userId?: number }>().userId !== undefined;
 *   }
 * }
 */
@Injectable()
export class SessionService {
  constructor(@Inject(SessionRuntime) private readonly runtime: SessionRuntime) {}

  /**
   * The session object (the same one as `@Session()` and `request.session`).
   * @throws SessionOutsideRequestError when called outside an HTTP request. After the request it
   * was called for was answered (a timer or a callback that outlived it): an empty session whose
   * changes go nowhere, and a warning.
   */
  get<T extends object = SessionData>(): Session<T> {
    return this.session().current as unknown as Session<T>;
  }

  /** Ends the session: the response expires the cookie (and all its chunks). */
  destroy(): void {
    this.session().destroy();
  }

  /** Drops all data and starts a new session with a new creation time; returns it. */
  regenerate<T extends object = SessionData>(): Session<T> {
    const session = this.session();
    session.regenerate();
    return session.current as unknown as Session<T>;
  }

  /** This request's options (the same object as `request.sessionOptions`). */
  get options(): SessionRequestOptions {
    return this.session().options;
  }

  /**
   * A `Cookie` request-header value carrying `data` sealed under the module's options, to call
   * logged-in routes from tests and tools without a login flow.
   *
   * The seal counts as never validated: with a `validate` option, the first request that carries
   * it runs `validate` whatever the `validateInterval` (a revoked user is refused as in
   * production); with a `validateInterval`, the response re-seals it with the time of that check.
   * @example
   * await request(app.getHttpServer()).get('/profile').set('Cookie', sessions.toCookieHeader({ userId: 1 }));
   */
  toCookieHeader(data: SessionInput): string {
    const { name, maxChunks, maxAge } = this.runtime.options;
    const times = newSessionTimes(Date.now(), maxAge, this.runtime.options.expires);
    const value = this.runtime.sealer.seal(toJson(data), times);
    const chunks = splitIntoChunks(name, value, maxChunks);
    return chunks.map((chunk, i) => `${chunkName(name, i)}=${chunk}`).join('; ');
  }

  /**
   * The session data a `Cookie` header carries, or `undefined` (absent, tampered, expired,
   * carried twice…): for WebSocket handshakes and other entry points that are not HTTP requests.
   *
   * `header` may also be a response's `Set-Cookie` lines (supertest's
   * `res.headers['set-cookie']`): it then gives the session that response set (`undefined` when
   * it ended it or set no session cookie).
   *
   * It does not run the module's `validate`: a session revoked on the server (logout everywhere,
   * a disabled user) still reads here. To authenticate with it, use
   * {@link fromCookieHeaderValidated}.
   * @throws TypeError when `header` is not a string, an array of strings or `undefined`.
   */
  fromCookieHeader<T extends object = SessionData>(
    header: string | readonly string[] | undefined,
  ): T | undefined {
    const now = Date.now();
    return this.open(cookieHeaderFrom(header, now), now)?.data as T | undefined;
  }

  /**
   * The session data a `Cookie` header carries, read as {@link fromCookieHeader} reads it, once
   * the module's `validate` has kept it: for WebSocket handshakes and other entry points that
   * must refuse a session revoked on the server. Without a `validate` option it gives the same
   * data as `fromCookieHeader`.
   *
   * There is no response to re-seal the cookie with the time of a passed check, so with a
   * `validateInterval` it calls `validate` every time the seal's last validation (over HTTP, or
   * when a response sealed it; never for a {@link toCookieHeader} cookie) is older than the
   * interval.
   *
   * With the cross-origin check on (`csrf`, the default), a request sent by a browser page of
   * another origin that is not in `csrf.trustedOrigins` gets no session: a WebSocket handshake
   * from such a page would otherwise open a connection as the user (cross-site WebSocket
   * hijacking).
   *
   * @param header a `Cookie` header, or a response's `Set-Cookie` lines (as `fromCookieHeader`).
   * @param request the upgrade request (its headers are checked as above); also passed to
   * `validate` as its second argument.
   * @returns the data, or `undefined` when there is no valid session, the request came from a
   * page of another origin, or `validate` refused it.
   * @throws (rejects with) what `validate` threw or rejected with: refuse the caller then, never
   * let the session through unchecked.
   * @throws (rejects with) TypeError when `header` is not a string, an array of strings or
   * `undefined`.
   */
  async fromCookieHeaderValidated<T extends object = SessionData>(
    header: string | readonly string[] | undefined,
    request?: unknown,
  ): Promise<T | undefined> {
    const now = Date.now();
    // The header is read first, so a wrong argument is a TypeError whoever sent the request.
    const cookie = cookieHeaderFrom(header, now);
    if (this.fromOtherOrigin(request)) return undefined;
    const opened = this.open(cookie, now);
    if (opened === undefined) return undefined;
    if (this.runtime.validationDue(opened.validatedAt, now)) {
      let valid: boolean;
      try {
        valid = await this.runtime.options.validate!(opened.data, request);
      } catch (error) {
        throw error ?? new Error('validate() failed');
      }
      if (valid !== true) return undefined;
    }
    return opened.data as T;
  }

  /** Whether a browser page of another origin, not trusted by `csrf`, sent `request`. */
  private fromOtherOrigin(request: unknown): boolean {
    const policy = this.runtime.options.csrf;
    const headers = (request as { headers?: unknown } | null | undefined)?.headers;
    if (policy === undefined || headers === null || typeof headers !== 'object') return false;
    return refusalByOrigin(headers as IncomingHttpHeaders, policy) !== undefined;
  }

  /** The session sealed in a bare `Cookie` header, when it opens and is in date. */
  private open(cookie: string | undefined, now: number): OpenedSession | undefined {
    const carried = this.runtime.carried({ headers: { cookie } } as never);
    if (carried?.seal === undefined) return undefined;
    return this.runtime.sealer.open(carried.seal, now);
  }

  /**
   * The session of the request being handled. Once that request was answered, code still
   * running in its context (a timer, a callback of a connection shared between requests) may be
   * working for another user: it gets an empty session whose changes go nowhere, and a warning,
   * rather than that request's session or an exception that could end the process from a timer.
   */
  private session(): RequestSession {
    const req = requestInScope('SessionService');
    if (!answered(req)) return sessionOf(req);
    this.runtime.warnLostChange(req, 'SessionService', 'answered');
    return detachedSession(req);
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return 'SessionService {}';
  }
}
