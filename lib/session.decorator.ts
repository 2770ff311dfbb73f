import {
  createParamDecorator,
  type ExecutionContext,
  type PipeTransform,
  type Type,
} from '@nestjs/common';
import { rawRequestOfContext } from './platform/request-of.js';
import { sessionOf } from './platform/session-request.js';
import type { SessionData, SessionObject } from './session/session-data.interface.js';

/**
 * The type of a session object: your data plus `isNew`, `populated`, `isChanged`,
 * `regenerate()` and `save()`. Shares its name with the decorator, so one import serves both.
 */
export type Session<T extends object = SessionData> = SessionObject<T>;

/** The decorator's signature, spelled out so that the published types compile on NestJS 11 and 12. */
type SessionDecorator = (
  ...dataOrPipes: (string | PipeTransform | Type<PipeTransform> | undefined)[]
) => ParameterDecorator;

/**
 * The request's session (`@Session() session`) or one of its values (`@Session('userId')`).
 * Import it from 'nest-cookie-session': `@nestjs/common` has a `Session` decorator too, which
 * returns the same `req.session` object at run time but has no `Session<T>` type. Also exported
 * as `CookieSession`.
 *
 * @example
 * @Get('/')
 * count(@Session() session: Session<{ views?: number }>) {
 *   session.views = (session.views ?? 0) + 1;
 *   return { views: session.views };
 * }
 */
export const Session: SessionDecorator = createParamDecorator(
  (key: string | undefined, context: ExecutionContext) => {
    const session = sessionOf(rawRequestOfContext(context)).current;
    return key === undefined ? session : (session as Record<string, unknown>)[key];
  },
);

/** `Session` under a name that cannot clash with `@nestjs/common`'s. */
export const CookieSession: SessionDecorator = Session;
export type CookieSession<T extends object = SessionData> = SessionObject<T>;
