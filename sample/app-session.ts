/**
 * What this app keeps in its session cookie. Handlers read it as `Session<AppSession>`
 * (from `@Session()`) or `sessions.get<AppSession>()` (from `SessionService`).
 * Keep it small: the whole session travels in the cookie on every request.
 */
export interface AppSession {
  /** How often this browser has seen the home page. */
  views?: number;
  /** The logged-in user. */
  user?: { name: string };
  /** The user ticked "remember me": the cookie lives 30 days instead of 24 hours. */
  rememberMe?: boolean;
  /** A message for the next page, shown once. */
  flash?: string;
}
