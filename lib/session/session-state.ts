import type { IncomingMessage, ServerResponse } from 'node:http';
import onHeaders from 'on-headers';
import { toJson, type OpenedSeal } from '../crypto/session-codec.js';
import {
  appendSetCookies,
  readSessionCookie,
  type IncomingSessionCookie,
} from '../http/cookie-jar.js';
import type { SessionRequestOptions } from '../options/cookie-session-options.interface.js';
import type { SessionObject as Session } from '../session-data.interface.js';
import { SessionTooLargeError } from '../session-too-large.error.js';
import { SessionCookieLines } from './session-cookie-lines.js';
import type { SessionContext } from './session-context.js';
import { adoptAsSession, type SessionOwner } from './session-object.js';

export const STATE = Symbol('nest-cookie-session.state');
export const CONTEXT = Symbol('nest-cookie-session.context');
export const RESPONSE = Symbol('nest-cookie-session.response');

/** A raw Node request as the platforms hand it to us, with our links on it. */
export interface SessionRequest extends IncomingMessage {
  [STATE]?: SessionState;
  [CONTEXT]?: SessionContext;
  /** The response, where the platform does not link it itself (Express sets `req.res`). */
  [RESPONSE]?: ServerResponse;
  res?: ServerResponse;
}

/** The `Set-Cookie` lines prepared for a given JSON text, reused if nothing changed since. */
interface Prepared {
  readonly json: string;
  readonly generation: number;
  readonly lines: readonly string[];
}

/**
 * The session of one request: opened lazily on first use, written once, just before the
 * response's headers leave (whatever writes them: a handler's return value, an exception
 * filter, `@Res()`, a stream).
 */
export class SessionState implements SessionOwner {
  private session: Session | undefined;
  private incoming: OpenedSeal | undefined;
  private cookie: IncomingSessionCookie | undefined;
  /** Destroyed or regenerated: what came in is dropped. */
  private discarded = false;
  private saveRequested = false;
  /** Bumped by every change that is not visible in the JSON (destroy, regenerate, save). */
  private generation = 0;
  private requestOptions: SessionRequestOptions | undefined;
  private prepared: Prepared | undefined;
  /** A SessionTooLargeError was raised: leave the client's cookie alone. */
  private failed = false;

  private constructor(
    private readonly req: SessionRequest,
    private readonly res: ServerResponse,
    private readonly context: SessionContext,
  ) {
    onHeaders(res, () => this.writeHeaders());
  }

  /**
   * The state of `req`, created on first use.
   * @throws Error when the module did not attach to this request (not installed on this app).
   */
  static of(req: SessionRequest): SessionState {
    const existing = req[STATE];
    if (existing) return existing;
    const context = req[CONTEXT];
    const res = req[RESPONSE] ?? req.res;
    if (!context || !res) {
      throw new Error(
        'nest-cookie-session is not set up for this request: import CookieSessionModule.forRoot() in the ' +
          'application module (Express or Fastify HTTP apps).',
      );
    }
    return (req[STATE] = new SessionState(req, res, context));
  }

  /** The session object, opened from the cookie on first use. */
  get current(): Session {
    return this.session ?? this.load();
  }

  /** `null` destroys; an object replaces the data. */
  set current(value: unknown) {
    if (value === null) {
      this.destroy();
      return;
    }
    if (typeof value !== 'object' || Array.isArray(value)) {
      throw new TypeError(
        'request.session can only be set to a plain object (new data) or null (destroy)',
      );
    }
    if (this.session === undefined) this.load();
    this.session = adoptAsSession({ ...(value as object) }, this);
  }

  /** This request's options: a shallow copy of the module's, made on first use. */
  get options(): SessionRequestOptions {
    return (this.requestOptions ??= { ...this.context.requestDefaults });
  }

  set options(value: SessionRequestOptions) {
    if (value === null || typeof value !== 'object')
      throw new TypeError('request.sessionOptions must be an object');
    this.requestOptions = {
      ...this.context.requestDefaults,
      ...value,
      name: this.context.options.name,
    };
  }

  /** The options in force, without copying them when nobody asked for this request's copy. */
  private get settings(): Readonly<SessionRequestOptions> {
    return this.requestOptions ?? this.context.requestDefaults;
  }

  get isNew(): boolean {
    if (this.session === undefined) this.load();
    return this.discarded || this.incoming === undefined;
  }

  isChanged(session: object): boolean {
    return toJson(session) !== (this.discarded ? '{}' : (this.incoming?.json ?? '{}'));
  }

  /** Ends the session: the response expires the cookie and all its chunks. */
  destroy(): void {
    if (this.session === undefined) this.load();
    this.discarded = true;
    // A save() asked for before the end no longer applies: Passport's logout calls save() then
    // regenerate(), and must clear the cookie, not write an empty session.
    this.saveRequested = false;
    this.generation++;
    this.session = adoptAsSession({}, this);
  }

  /** Drops all data and starts a new session (new creation time); returns it. */
  regenerate(): Session {
    this.destroy();
    return this.session!;
  }

  requestSave(): void {
    this.saveRequested = true;
    this.generation++;
  }

  /**
   * Seals the session now, while the request can still fail with a proper 500, and keeps the
   * result for the moment headers are written.
   * @throws SessionTooLargeError (the client's cookie is then left as it was).
   */
  prepare(): void {
    if (this.session === undefined || this.failed || this.res.headersSent) return;
    const json = toJson(this.session);
    this.prepared = { json, generation: this.generation, lines: this.linesFor(json) };
  }

  private load(): Session {
    this.cookie = readSessionCookie(
      this.req.headers.cookie,
      this.context.options.name,
      this.context.options.maxChunks,
    );
    this.incoming = this.openCarried(this.cookie);
    // The opened data object itself becomes the session: no copy.
    return (this.session = adoptAsSession(this.incoming?.data ?? {}, this));
  }

  /**
   * Opens the seal the request carried. If the joined chunks do not open, fewer are tried: a
   * stale trailing chunk (its clearing response lost) must not log the user out. At most
   * `maxChunks` attempts, each refused by the tag check alone.
   */
  private openCarried(cookie: IncomingSessionCookie): OpenedSeal | undefined {
    const { codec } = this.context;
    const { parts } = cookie;
    for (let count = parts.length; count > 0; count--) {
      const opened = codec.openSeal(
        count === parts.length ? cookie.value : parts.slice(0, count).join(''),
      );
      if (opened) return opened;
    }
    return undefined;
  }

  /** Runs just before the headers are written; must never throw into the platform. */
  private writeHeaders(): void {
    if (this.failed) return;
    try {
      const lines = this.linesToWrite();
      if (lines.length === 0) return;
      const replace = this.settings.overwrite
        ? this.cookieLines().replacedNames(lines.length)
        : undefined;
      appendSetCookies(this.res, lines, replace);
    } catch (error) {
      // Headers are on their way: no 500 is possible any more. Say why, keep the old cookie.
      if (error instanceof SessionTooLargeError) this.context.logger.error(error.message);
      else
        this.context.logger.error(
          `The session could not be saved: ${(error as Error)?.stack ?? error}`,
        );
    }
  }

  private linesToWrite(): readonly string[] {
    if (this.session === undefined) {
      // Untouched: only a renewal of a cookie that came in can be due.
      if (!this.settings.autoRenew || !carriesCookie(this.req, this.context)) return [];
      this.load();
    }
    const json = toJson(this.session);
    const prepared = this.prepared;
    if (prepared && prepared.json === json && prepared.generation === this.generation)
      return prepared.lines;
    return this.linesFor(json);
  }

  private cookieLines(): SessionCookieLines {
    return new SessionCookieLines(this.req, this.context, this.settings, this.cookie?.names ?? []);
  }

  /** The Set-Cookie lines for a session whose data is `json`, following SPEC 4.3. */
  private linesFor(json: string): readonly string[] {
    try {
      const options = this.settings;
      const populated = json !== '{}';
      const incoming = this.discarded ? undefined : this.incoming;
      if (incoming) {
        const changed = json !== incoming.json;
        if (changed && !populated && !options.saveUninitialized) return this.cookieLines().clear(0);
        if (changed || options.autoRenew || this.saveRequested)
          return this.cookieLines().seal(json, incoming.createdAt);
        return [];
      }
      if (populated || options.saveUninitialized || this.saveRequested)
        return this.cookieLines().seal(json, undefined);
      return this.discarded ? this.cookieLines().clear(0) : [];
    } catch (error) {
      if (error instanceof SessionTooLargeError) this.failed = true;
      throw error;
    }
  }
}

/** Cheap pre-check before any parsing: could this request carry the session cookie? */
export function carriesCookie(req: IncomingMessage, context: SessionContext): boolean {
  return req.headers.cookie?.includes(context.options.name) === true;
}
