/**
 * Every error the library raises, with one base class and a stable `code` each, so that
 * applications can tell them apart without matching message texts. Messages name what went
 * wrong and how to fix it; none of them ever carries a secret or a cookie's contents.
 */
export class CookieSessionError extends Error {
  /** A stable identifier, e.g. `ERR_SESSION_TOO_LARGE`. */
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.code = code;
    this.name = new.target.name;
  }
}

/**
 * An option that cannot work: raised at application start, or when a session is written with
 * request options that cannot work (or after a fixed `expires` date has passed).
 */
export class CookieSessionOptionsError extends CookieSessionError {
  constructor(
    /** The option's name or path, e.g. `maxAge`, `keys[1]`, `csrf.trustedOrigins[0]`. */
    readonly option: string,
    problem: string,
  ) {
    super('ERR_COOKIE_SESSION_OPTIONS', `CookieSessionModule: option "${option}" ${problem}`);
  }
}

/**
 * A session that no longer fits in the cookies allowed for it (`maxChunks` cookies of at most
 * 4096 bytes of `name=value` each). Raised while the response is prepared: the request then
 * ends in a 500 through Nest's exception layer (or, when headers were already on their way, in
 * a logged error), and the client keeps the cookie it had, so nobody is logged out silently.
 */
export class SessionTooLargeError extends CookieSessionError {
  constructor(
    /** The session cookie's name. */
    readonly cookieName: string,
    /** Bytes of `name=value` the seal would need (all chunks together). */
    readonly size: number,
    /** Bytes that `maxChunks` cookies can hold. */
    readonly limit: number,
    readonly maxChunks: number,
    /** The most cookies `maxChunks` may allow: the message suggests raising it only below that. */
    maxChunksAllowed: number,
  ) {
    const raise =
      maxChunks < maxChunksAllowed ? ` or raise maxChunks (up to ${maxChunksAllowed})` : '';
    super(
      'ERR_SESSION_TOO_LARGE',
      `Session cookie "${cookieName}" would need ${size} bytes but ${maxChunks} cookie(s) hold at most ${limit} ` +
        `(maxChunks: ${maxChunks}). Keep less in the session (store large data server-side, keep its id)` +
        `${raise}. The client keeps its previous cookie.`,
    );
  }
}

/**
 * The session was used where there is no request to hold it (e.g. a cron job, a WebSocket
 * message), or by code running after its request was answered (`answered`).
 */
export class SessionOutsideRequestError extends CookieSessionError {
  constructor(where: string, { answered = false } = {}) {
    super(
      'ERR_SESSION_OUTSIDE_REQUEST',
      answered
        ? `${where} was called for a request that has already been answered: a callback from a connection ` +
            "shared between requests (such as a ClientProxy's) or a timer started during a request still runs " +
            "in that request's async context, and its session may be another user's. Read the session before " +
            '(in the handler) and pass on what you need, or await the observable inside the handler.'
        : `${where} was used outside an HTTP request. Use it while a request is handled (controllers, guards, ` +
            'interceptors, pipes, filters, providers they call); in middleware read req.session; for WebSockets ' +
            "read the handshake's cookie with SessionService.fromCookieHeaderValidated().",
    );
  }
}

/** The module is not attached to the request at hand (not imported, or another app's request). */
export class SessionNotAttachedError extends CookieSessionError {
  constructor() {
    super(
      'ERR_SESSION_NOT_ATTACHED',
      'nest-cookie-session is not set up for this request: import CookieSessionModule.forRoot() in the ' +
        'application module (Express or Fastify HTTP apps).',
    );
  }
}

/** The HTTP platform cannot carry these sessions (not Express or Fastify, or a conflicting plugin). */
export class SessionPlatformError extends CookieSessionError {
  constructor(message: string) {
    super('ERR_SESSION_PLATFORM', `CookieSessionModule: ${message}`);
  }
}

/** A value from a request, quoted for a message or a log line: escaped (no CR/LF forges a line), short. */
export function quote(value: string): string {
  return JSON.stringify(value.length > 100 ? `${value.slice(0, 100)}…` : value);
}
