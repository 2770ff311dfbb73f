export { CookieSessionModule } from './cookie-session.module.js';
export {
  COOKIE_SESSION_OPTIONS,
  type CookieSessionAsyncOptions,
  type CookieSessionOptionsFactory,
} from './cookie-session.module-definition.js';
export { SessionService } from './session.service.js';
export { Session, CookieSession } from './session.decorator.js';
export { SessionInterceptor } from './session.interceptor.js';
export { CsrfExempt } from './csrf-exempt.decorator.js';
export { SessionCodec, type SessionCodecOptions } from './session/session-codec.js';
export {
  CookieSessionError,
  CookieSessionOptionsError,
  SessionNotAttachedError,
  SessionOutsideRequestError,
  SessionPlatformError,
  SessionTooLargeError,
} from './errors.js';
export type {
  CookieSessionOptions,
  CsrfOption,
  SessionRequestOptions,
  ValidateSession,
} from './options/cookie-session-options.interface.js';
export type { LegacyOptions } from './legacy/legacy-options.js';
export type {
  SessionData,
  SessionInput,
  SessionMethods,
  SessionObject,
  SessionRequestProperties,
} from './session/session-data.interface.js';
