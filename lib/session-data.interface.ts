/**
 * The data of a session: a plain object of JSON values. Augment it to type `@Session()`,
 * `SessionService.get()` and `request.session` at once:
 *
 * @example
 * declare module 'nest-cookie-session' {
 *   interface SessionData { userId?: number; views?: number }
 * }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface SessionData {
  [key: string]: unknown;
}

/** What the session object offers beyond its data. None of it is stored in the cookie. */
export interface SessionMethods {
  /** `true` when no valid session cookie came in (or the session was regenerated). */
  readonly isNew: boolean;
  /** `true` when the session holds any data. */
  readonly populated: boolean;
  /** `true` when the data differs from what the request's cookie carried. */
  readonly isChanged: boolean;
  /** Drops all data and starts a new session; `request.session` is then the new object. */
  regenerate(callback?: (err?: unknown) => void): void;
  /** Marks the session for writing even if unchanged; the cookie is written with the response. */
  save(callback?: (err?: unknown) => void): void;
}

/** The session object of a request: its data plus the non-enumerable members above. */
export type SessionObject<T extends object = SessionData> = T & SessionMethods;
