import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { rawRequestOfContext } from './http/request-of.js';
import type { SessionData, SessionObject } from './session-data.interface.js';
import { SessionState } from './session/session-state.js';

/**
 * The type of a session object: your data plus `isNew`, `populated`, `isChanged`,
 * `regenerate()` and `save()`. Shares its name with the decorator, so one import serves both.
 */
export type Session<T extends object = SessionData> = SessionObject<T>;

/**
 * The request's session (`@Session() session`) or one of its values (`@Session('userId')`).
 * Import it from 'nest-cookie-session', not '@nestjs/common' (whose `Session` only returns
 * `req.session`); it is also exported as `CookieSession`.
 *
 * @example
 * @Get('/')
 * count(@Session() session: Session<{ views?: number }>) {
 *   session.views = (session.views ?? 0) + 1;
 *   return { views: session.views };
 * }
 */
export const Session = createParamDecorator(
  (key: string | undefined, context: ExecutionContext) => {
    const session = SessionState.of(rawRequestOfContext(context)).current;
    return key === undefined ? session : (session as Record<string, unknown>)[key];
  },
);

/** `Session` under a name that cannot clash with `@nestjs/common`'s. */
export const CookieSession = Session;
export type CookieSession<T extends object = SessionData> = SessionObject<T>;
