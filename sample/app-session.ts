/**
 * What this app keeps in its session cookie. Handlers read it as `Session<AppSession>`
 * (from `@Session()`) or `sessions.get<AppSession>()` (from `SessionService`).
 * Keep it small: the whole session travels in the cookie on every request.
 */
export interface AppSession {
  /** How often this browser has seen the home page. */
  views?: number;
  /** The logged-in user's name. */
  user?: string;
  /** The user's stamp when this session logged in: "log out everywhere" bumps the user's. */
  stamp?: number;
  /** The user ticked "remember me" (shown on the profile; the lifetime itself is in the seal). */
  rememberMe?: boolean;
  /** A message for the next page, shown once. */
  flash?: string;
}

const HOUR = 60 * 60 * 1000;
/** How long a session lives without a request: the library's default, spelled out. */
export const SESSION_MAX_AGE = 24 * HOUR;
/** The lifetime of a session whose user ticked "remember me". */
export const REMEMBER_ME_MAX_AGE = 30 * 24 * HOUR;
