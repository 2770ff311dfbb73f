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
   * A key ring for rotation: `keys[0]` seals, every key opens. Rotate by putting the new key
   * first and removing the old one after `maxAge` (see the README).
   */
  keys?: readonly (string | Buffer)[];
  /** Cookie name (a cookie-name token). Chunks are named `name.1`, `name.2`, … @default 'session' */
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
   * Re-seal with a fresh expiry on every response to a request that carried a valid session,
   * even when the session was not touched (a sliding expiry). @default true
   */
  autoRenew?: boolean;
  /**
   * Send the cookie without `Expires`/`Max-Age`, so the browser drops it when it closes.
   * The server still enforces `maxAge`. @default false
   */
  sessionCookie?: boolean;
  /** A fixed expiry date for the cookie and the seal; when set it wins over `maxAge`. */
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
  /** Trust `X-Forwarded-Proto` to tell that a request came over HTTPS. @default false */
  secureProxy?: boolean;
  /** Cookie `SameSite`; `'none'` requires `secure`. `false` omits the attribute. @default 'lax' */
  sameSite?: 'lax' | 'strict' | 'none' | false;
  /** Cookie `Partitioned` (CHIPS); requires `secure`. @default undefined */
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
   * the 4096 bytes a browser keeps per cookie. @default 1
   */
  maxChunks?: number;
}

/**
 * The options of one request: a shallow copy of the module's options, as
 * `request.sessionOptions` and `SessionService.options`. Changing `maxAge`, `expires`,
 * `sessionCookie`, `autoRenew` or a cookie attribute changes this response's cookie only.
 * `secret`, `keys`, `name`, `maxChunks` and `absoluteTimeout` belong to the module and are
 * read from there.
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
