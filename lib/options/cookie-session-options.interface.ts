import type { LegacyOptions } from '../legacy/legacy-options.js';
import type { SessionData } from './session-data.js';

/**
 * The server-side check of a session (revocation): `true` keeps it, `false` ends it. Called with
 * the session object (typed by the `SessionData` interface) and the platform's request (Express
 * `Request` or Fastify `FastifyRequest`). A throw or a rejected promise fails the request (a 500
 * unless the error says otherwise) and keeps the client's cookie.
 */
export type ValidateSession = (
  session: Readonly<SessionData>,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  request: any,
) => boolean | Promise<boolean>;

/** Cross-origin request protection: `true` (default), `false`, or trusted origins. */
export type CsrfOption = boolean | { trustedOrigins?: readonly string[] };

/**
 * Options of `CookieSessionModule.forRoot()` and `new SessionCodec()`.
 * Exactly one of `secret` and `keys` is required; everything else has a default.
 */
export interface CookieSessionOptions {
  /**
   * The key, at least 32 characters (string) or 32 bytes (Buffer). Generate one with
   * `node -e "console.log(require('crypto').randomBytes(32).toString('base64url'))"`.
   * Use `keys` instead to rotate keys.
   */
  secret?: string | Buffer;
  /**
   * A key ring for rotation: `keys[0]` seals, every key opens. Rotate in three deploys (see the
   * README): add the new key second, then put it first, then remove the old one once the
   * longest session lifetime ("remember me" included) has passed.
   */
  keys?: readonly (string | Buffer)[];
  /**
   * Cookie name (any name the `cookie` package accepts). Chunks are named `name.1`, `name.2`, …
   * @default '__Host-session' when `secure: true`, `path: '/'` and no `domain` (a name no
   * sibling subdomain can set); 'session' otherwise
   */
  name?: string;
  /**
   * Lifetime of a seal in milliseconds, enforced on the server from the time inside the seal;
   * also the cookie's `Max-Age`. @default 86400000 (24 hours)
   */
  maxAge?: number;
  /** Alias of `maxAge` (the name cookie-sessions used). Setting both is an error. */
  timeout?: number;
  /**
   * Hard cap in milliseconds from the session's creation, however often it is renewed. Read
   * from the configuration in force, so shortening it ends sessions already issued.
   * @default undefined (no cap)
   */
  absoluteTimeout?: number;
  /**
   * Sliding expiry: re-seal an unchanged valid session with a fresh expiry once its seal is
   * `renewAfter` old (at once when it was sealed under an old key). @default true
   */
  autoRenew?: boolean;
  /**
   * How old (ms) a seal must be before `autoRenew` re-seals an unchanged session; `0` renews on
   * every response. A seal that does not outlive it (a session given a shorter lifetime of its
   * own) is renewed at half its lifetime. @default half of the seal's lifetime
   */
  renewAfter?: number;
  /**
   * Server-side check that a session is still wanted (logout everywhere, password change,
   * disabled user), run before any application code can read the session, at most once per
   * `validateInterval`. @default undefined
   */
  validate?: ValidateSession;
  /** How long (ms) a successful `validate` holds before the session is checked again. @default 0 */
  validateInterval?: number;
  /**
   * Send the cookie without `Expires`/`Max-Age`, so the browser drops it when it closes.
   * The server still enforces `maxAge`. @default false
   */
  sessionCookie?: boolean;
  /**
   * A fixed expiry date for the cookie and the seal. Refused together with `maxAge`/`timeout`:
   * a cookie has one expiry.
   */
  expires?: Date;
  /** Cookie `Path`. @default '/' */
  path?: string;
  /** Cookie `Domain`. @default undefined (the host that set it) */
  domain?: string;
  /** Cookie `HttpOnly`: hide the cookie from `document.cookie`. @default true */
  httpOnly?: boolean;
  /**
   * Cookie `Secure`. `'auto'`: Secure when the request came over HTTPS (behind a proxy, see
   * `secureProxy`). Browsers accept Secure cookies from `http://localhost`. @default true
   */
  secure?: boolean | 'auto';
  /**
   * Trust the proxy's headers: `X-Forwarded-Proto` to tell that a request came over HTTPS, and
   * `X-Forwarded-Host` as the host the cross-origin check compares `Origin` with. Set it only
   * behind a proxy that sets both. @default false
   */
  secureProxy?: boolean;
  /**
   * Cookie `SameSite`; `'none'` requires `secure: true` (`'auto'` is refused). `false` omits the
   * attribute. @default 'lax'
   */
  sameSite?: 'lax' | 'strict' | 'none' | false;
  /** Cookie `Partitioned`; requires `secure: true` (`'auto'` is refused). @default undefined */
  partitioned?: boolean;
  /** Cookie `Priority` (Chrome). @default undefined */
  priority?: 'low' | 'medium' | 'high';
  /**
   * Replace a `Set-Cookie` of the same name that something else queued earlier in this
   * response. @default true
   */
  overwrite?: boolean;
  /** Write a cookie even for a new session left empty ("guest" sessions). @default false */
  saveUninitialized?: boolean;
  /**
   * How many cookies (`name`, `name.1`, …) one session may span when its seal is longer than
   * the 4096 bytes a browser keeps per cookie; at most 3, so that a client never carries more
   * than a default Node server accepts in its request headers. @default 1
   */
  maxChunks?: number;
  /**
   * Read the sessions of the libraries this one replaces (expressjs `cookie-session`, the
   * AES-GCM `cookie-sessions`) and re-seal them, so switching logs nobody out. @default undefined
   */
  legacy?: LegacyOptions;
  /**
   * Refuse cross-origin browser requests with unsafe methods (CSRF), judged from
   * `Sec-Fetch-Site` and `Origin`. @default true
   */
  csrf?: CsrfOption;
  /**
   * Register `SessionInterceptor` as a global interceptor. `false` saves the Nest interceptor
   * pipeline on every route; a session that cannot be written (too large, invalid request
   * options, a passed `expires`) then becomes a 500 on Fastify (from an `onSend` hook) and a
   * logged error on Express. @default true
   */
  globalInterceptor?: boolean;
}

/**
 * The options of one request: a shallow copy of the module's options, as
 * `request.sessionOptions` and `SessionService.options`. `maxAge` set here becomes the session's
 * own lifetime ("remember me"): it travels in the seal and later renewals keep it. `expires`,
 * `sessionCookie`, `autoRenew` and the cookie attributes change this response only, under the
 * same rules as the module's options; `path`, `domain` and `partitioned` must stay the module's
 * (a cookie at another path or domain, or in another partition, would be a second cookie beside
 * the first). `secret`, `keys`, `name`,
 * `maxChunks` and `absoluteTimeout` belong to the module and are read from there.
 */
export interface SessionRequestOptions {
  readonly name: string;
  maxAge: number;
  expires?: Date;
  autoRenew: boolean;
  sessionCookie: boolean;
  path: string;
  domain?: string;
  httpOnly: boolean;
  secure: boolean | 'auto';
  secureProxy: boolean;
  sameSite: 'lax' | 'strict' | 'none' | false;
  partitioned?: boolean;
  priority?: 'low' | 'medium' | 'high';
  overwrite: boolean;
  saveUninitialized: boolean;
}
