import type { SessionRequestOptions } from '../options/cookie-session-options.interface.js';
import type { SessionData } from '../options/session-data.js';

export type { SessionData };

/** The keys declared on `SessionData`, without its index signature. */
type DeclaredSessionData = {
  [
    K in keyof SessionData as string extends K ? never : number extends K ? never : K
  ]: SessionData[K];
};

/**
 * Data that can replace a session or be sealed: a `SessionData`, or any object whose keys
 * declared on `SessionData` hold their declared types. The second form admits data typed with an
 * `interface` (`interface AppSession {…}`), which TypeScript never gives the index signature
 * `SessionData` has.
 */
export type SessionInput = SessionData | (object & DeclaredSessionData & NotAnArray);

/** What arrays (and other iterables) have and session data never does. */
interface NotAnArray {
  readonly [Symbol.iterator]?: never;
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

/**
 * What the library puts on a request: `request.session` and `request.sessionOptions`.
 * Express's request carries it (below); Fastify's with `nest-cookie-session/fastify`.
 */
export interface SessionRequestProperties {
  /** The session, typed by the `SessionData` interface. */
  get session(): SessionObject;
  /** An object replaces the data; `null` ends the session (as `SessionService.destroy()`). */
  set session(value: SessionInput | null);
  /** This request's cookie options (a copy of the module's): "remember me" for one user. */
  sessionOptions: SessionRequestOptions;
}

/**
 * Types `request.session` and `request.sessionOptions` on Express's request, as
 * `@types/express-session` and `@types/cookie-session` do. A global namespace, so it needs no
 * Express types installed. On Fastify, opt in with
 * `import type {} from 'nest-cookie-session/fastify'`.
 */
declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    // eslint-disable-next-line @typescript-eslint/no-empty-interface
    interface Request extends SessionRequestProperties {}
  }
}
