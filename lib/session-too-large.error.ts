/**
 * A session that no longer fits in the cookies allowed for it (`maxChunks` cookies of at most
 * 4096 bytes of `name=value` each). Raised while the response is prepared: the request then
 * ends in a 500 through Nest's exception layer (or, when headers were already on their way, in
 * a logged error), and the client keeps the cookie it had, so nobody is logged out silently.
 */
export class SessionTooLargeError extends Error {
  readonly code = 'ERR_SESSION_TOO_LARGE';

  constructor(
    /** The session cookie's name. */
    readonly cookieName: string,
    /** Bytes of `name=value` the seal would need (all chunks together). */
    readonly size: number,
    /** Bytes that `maxChunks` cookies can hold. */
    readonly limit: number,
    readonly maxChunks: number,
  ) {
    super(
      `Session cookie "${cookieName}" would need ${size} bytes but ${maxChunks} cookie(s) hold at most ${limit} ` +
        `(maxChunks: ${maxChunks}). Keep less in the session (store large data server-side, keep its id) ` +
        `or raise maxChunks. The client keeps its previous cookie.`,
    );
    this.name = 'SessionTooLargeError';
  }
}
