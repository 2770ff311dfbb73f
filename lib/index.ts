export { CookieSessionModule } from './cookie-session.module.js';
export {
  COOKIE_SESSION_OPTIONS,
  SESSION_CONTEXT,
  type CookieSessionOptionsFactory,
} from './cookie-session.module-definition.js';
export { SessionService } from './session.service.js';
export { Session, CookieSession } from './session.decorator.js';
export { SessionInterceptor } from './session.interceptor.js';
export {
  SessionCodec,
  CLOCK_SKEW_MS,
  type OpenedSeal,
  type SealTimes,
} from './crypto/session-codec.js';
export { SessionTooLargeError } from './session-too-large.error.js';
export { CookieSessionOptionsError } from './options/resolve-options.js';
export type {
  CookieSessionOptions,
  SessionRequestOptions,
} from './options/cookie-session-options.interface.js';
export type {
  SessionData,
  SessionMethods,
  SessionObject,
  SessionRequestProperties,
} from './session-data.interface.js';
