import { Inject, Injectable } from '@nestjs/common';
import { SESSION_CONTEXT } from './cookie-session.module-definition.js';
import { chunkName, readSessionCookie, splitIntoChunks } from './http/cookie-jar.js';
import type { SessionRequestOptions } from './options/cookie-session-options.interface.js';
import type { SessionObject as Session, SessionData } from './session-data.interface.js';
import { requestScope } from './session/request-scope.js';
import type { SessionContext } from './session/session-context.js';
import { SessionState } from './session/session-state.js';

/**
 * The current request's session, from any provider, guard, interceptor, pipe, filter or
 * controller — a singleton that finds the request through AsyncLocalStorage, not a
 * REQUEST-scoped provider.
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
  constructor(@Inject(SESSION_CONTEXT) private readonly context: SessionContext) {}

  /**
   * The session object (the same one as `@Session()` and `request.session`).
   * @throws Error when called outside an HTTP request.
   */
  get<T extends object = SessionData>(): Session<T> {
    return this.state().current as unknown as Session<T>;
  }

  /** Ends the session: the response expires the cookie (and all its chunks). */
  destroy(): void {
    this.state().destroy();
  }

  /** Drops all data and starts a new session with a new creation time; returns it. */
  regenerate<T extends object = SessionData>(): Session<T> {
    return this.state().regenerate() as unknown as Session<T>;
  }

  /** This request's options (the same object as `request.sessionOptions`). */
  get options(): SessionRequestOptions {
    return this.state().options;
  }

  /**
   * A `Cookie` request-header value carrying `data` sealed under the module's options, to call
   * logged-in routes from tests and tools without a login flow.
   * @example
   * await request(app.getHttpServer()).get('/profile').set('Cookie', sessions.toCookieHeader({ userId: 1 }));
   */
  toCookieHeader(data: SessionData): string {
    const { name, maxChunks } = this.context.options;
    const chunks = splitIntoChunks(name, this.context.codec.seal(data), maxChunks);
    return chunks.map((chunk, i) => `${chunkName(name, i)}=${chunk}`).join('; ');
  }

  /**
   * The session data a `Cookie` header carries, or `undefined` (absent, tampered, expired…):
   * for WebSocket handshakes and other entry points that are not HTTP requests.
   */
  fromCookieHeader<T extends object = SessionData>(header: string | undefined): T | undefined {
    const { name, maxChunks } = this.context.options;
    return this.context.codec.open<T>(readSessionCookie(header, name, maxChunks).value);
  }

  private state(): SessionState {
    const req = requestScope.getStore();
    if (!req) {
      throw new Error(
        'SessionService was used outside an HTTP request. Use it while a request is handled (controllers, ' +
          'guards, interceptors, pipes, filters, providers they call); in middleware read req.session; for ' +
          'WebSockets use fromCookieHeader().',
      );
    }
    return SessionState.of(req);
  }
}
