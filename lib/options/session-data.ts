/**
 * The data of a session: a plain object of JSON values. Augment it to type `@Session()`,
 * `SessionService.get()`, `request.session` and the session `validate` is given, at once:
 *
 * @example
 * declare module 'nest-cookie-session' {
 *   interface SessionData { userId?: number; views?: number }
 * }
 *
 * It lives beside the options because `validate`, an option, is given the session.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface SessionData {
  [key: string]: unknown;
}
