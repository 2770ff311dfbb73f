import type { IncomingMessage } from 'node:http';
import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { Session, SessionRequestOptions } from 'nest-cookie-session';
import type { AppSession } from './app-session.js';

const HOUR = 60 * 60 * 1000;
/** The library's default lifetime, spelled out in the module options so that code can restore it. */
export const SESSION_MAX_AGE = 24 * HOUR;
/** The lifetime of a session whose user ticked "remember me". */
export const REMEMBER_ME_MAX_AGE = 30 * 24 * HOUR;

/**
 * Sets the lifetime of this response's cookie from the session: 30 days for a user who asked
 * to be remembered, else the default. `options` is `req.sessionOptions` (or
 * `SessionService.options`): a copy of the module options for this request only.
 */
export function applyRememberMe(session: AppSession, options: SessionRequestOptions): void {
  options.maxAge = session.rememberMe ? REMEMBER_ME_MAX_AGE : SESSION_MAX_AGE;
}

interface RequestWithSession extends IncomingMessage {
  session: Session<AppSession>;
  sessionOptions: SessionRequestOptions;
}

/**
 * "Remember me" that sticks: per-request options last for one response, so every request sets
 * them again from the session (cookie-session's "per-user sticky max age" recipe).
 *
 * A middleware rather than an interceptor because it must run for *every* response that renews
 * the cookie — also 404s (a browser's `/favicon.ico`) and requests a guard rejects, which never
 * reach an interceptor and would otherwise renew the cookie with the 24-hour default.
 */
@Injectable()
export class RememberMeMiddleware implements NestMiddleware {
  use(req: RequestWithSession, _res: unknown, next: () => void): void {
    applyRememberMe(req.session, req.sessionOptions);
    next();
  }
}
