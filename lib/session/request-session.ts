import type { IncomingMessage, ServerResponse } from 'node:http';
import onHeaders from 'on-headers';
import { isHttps, isLocalhost } from '../cookie/request-security.js';
import { appendSetCookies, markPrivate } from '../cookie/set-cookie.js';
import { CookieSessionOptionsError, SessionTooLargeError, quote } from '../errors.js';
import type { SessionRequestOptions } from '../options/cookie-session-options.interface.js';
import type { SessionObject as Session } from './session-data.interface.js';
import type { CarriedCookie } from './carried-cookie.js';
import { attributesOf, checkRequestOptions } from './request-options.js';
import { clearLines, sealLines, type LinesInput } from './session-cookie-lines.js';
import { copyData, createSessionObject, type SessionOwner } from './session-object.js';
import type { SessionRuntime } from './session-runtime.js';
import { toJson, type OpenedSession, type PeekedSeal } from './session-sealer.js';
import { decideWrite } from './write-decision.js';

/** Set-Cookie lines sealed early, with the state they were sealed from. */
interface Prepared {
  readonly version: number;
  readonly lines: readonly string[];
  readonly json: string | undefined;
  readonly options: Readonly<Record<string, unknown>> | undefined;
}

/** The session that came in: a seal that opened, or a replaced library's cookie adopted. */
interface Incoming extends OpenedSession {
  /** Adopted from a replaced library's cookie (which every writing response expires). */
  readonly adopted?: true;
}

/**
 * The session of one request: opened on first use, written once, just before the response's
 * headers leave (whatever writes them: a handler's return value, an exception filter, `@Res()`,
 * a stream). A request that never touches its session costs no decryption unless a renewal or a
 * validation is due.
 */
export class RequestSession implements SessionOwner {
  #session: Session | undefined;
  /** The data behind `#session` (the proxy's target): JSON of it skips the proxy's traps. */
  #data: Record<string, unknown> = {};
  #incoming: Incoming | undefined;
  #ended = false;
  #saveRequested = false;
  /** When a `validate` that passed judged the session, to record in its seal. */
  #validatedAt: number | undefined;
  #options: SessionRequestOptions | undefined;
  #maxAgeChosen = false;
  /** Bumped by every change the JSON may not show yet (own keys, destroy, save, replace). */
  #version = 0;
  /** The lines sealed when the handler returned, and what they were made from. */
  #prepared: Prepared | undefined;
  /** The session's JSON the last lines were made from (`undefined`: never opened). */
  #linesJson: string | undefined;
  /** What `validate` threw: the cookie stays. */
  #failure: unknown;
  #failureTaken = false;
  /** The request was refused by the cross-origin check: nothing it did reaches the cookie. */
  #refused = false;
  /** The version a write failed at (too large, bad request options): a later change retries. */
  #failedVersion: number | undefined;
  #headersSent = false;

  constructor(
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
    private readonly runtime: SessionRuntime,
    private readonly carried: CarriedCookie | undefined,
    /** The carried seal's header as read on entry; `undefined` when not read yet. */
    private peeked: PeekedSeal | null | undefined,
    /** Not the request's own session (its request was answered): said once, not per change. */
    private readonly detached = false,
  ) {
    // First used after the headers left (a timer, a stream's end): nothing can be written.
    if (res.headersSent) this.#headersSent = true;
    else onHeaders(res, () => this.#writeHeaders());
  }

  /** The session object, opened from the cookie on first use. */
  get current(): Session {
    if (this.#failure !== undefined && !this.#failureTaken) throw this.#failure;
    return this.#session ?? this.#load();
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
    this.#warnIfLate('The session was replaced (request.session = { … })');
    if (this.#session === undefined) this.#load();
    this.#version++;
    this.#adopt(copyData(value as object));
  }

  /** This request's options: a shallow copy of the module's, made on first use. */
  get options(): SessionRequestOptions {
    return (this.#options ??= this.#copyOptions({}, this.#ownMaxAge()));
  }

  set options(value: SessionRequestOptions) {
    if (value === null || typeof value !== 'object')
      throw new TypeError('request.sessionOptions must be an object');
    const own = this.#ownMaxAge();
    this.#options = this.#copyOptions(value, own);
    // Handing back the lifetime the session already has (`{ ...req.sessionOptions, … }`)
    // chooses nothing: only another value replaces it.
    if ('maxAge' in value && value.maxAge !== own) this.#maxAgeChosen = true;
  }

  /**
   * The error `validate` raised for this request, to fail it through Nest's exception layer.
   * Once taken, the session reads as new and empty (exception filters may read it; nothing of
   * the unchecked session is shown), and nothing is written: the client keeps its cookie.
   */
  takeFailure(): unknown {
    if (this.#failure !== undefined && !this.#failureTaken) {
      this.#failureTaken = true;
      this.#ended = true;
      this.#adopt({});
    }
    return this.#failure;
  }

  /**
   * The request was refused (a cross-origin request with an unsafe method): what middleware
   * or hooks before the check did to the session (a login by a strategy run as middleware) and
   * whatever runs after is not written, as if the request had never reached the app.
   */
  refuseWrites(): void {
    this.#refused = true;
  }

  get isNew(): boolean {
    if (this.#session === undefined) this.#load();
    return this.#ended || this.#incoming === undefined;
  }

  isChanged(session: object): boolean {
    const before = this.#ended ? '{}' : (this.#incoming?.json ?? '{}');
    try {
      return toJson(session) !== before;
    } catch {
      return true; // a BigInt or a cycle: not what came in, and saving it will say why
    }
  }

  changed(key: string, data: object): void {
    if (data !== this.#data) {
      this.#warnLost(keyChanged(key), 'replaced');
      return;
    }
    this.#version++;
    this.#warnIfLate(keyChanged(key));
  }

  /** Says, once per kind, that a change to the session came after the headers left. */
  #warnIfLate(what: string): void {
    if (this.#headersSent) this.#warnLost(what, 'late');
  }

  #warnLost(what: string, why: 'late' | 'replaced'): void {
    if (!this.detached) this.runtime.warnLostChange(this.req, what, why);
  }

  /** Ends the session: the response expires the cookie and all its chunks. */
  destroy(): void {
    this.#warnIfLate('The session was ended (destroy(), regenerate() or request.session = null)');
    if (this.#session === undefined) this.#load();
    this.#ended = true;
    // A save() asked for before the end no longer applies: Passport's logout calls save() then
    // regenerate(), and must clear the cookie, not write an empty session.
    this.#saveRequested = false;
    this.#validatedAt = undefined;
    this.#version++;
    this.#adopt({});
  }

  /** Drops all data and starts a new session (new creation time). */
  regenerate(): void {
    this.destroy();
  }

  requestSave(): void {
    this.#warnIfLate('save() was called');
    this.#saveRequested = true;
    this.#version++;
  }

  /**
   * Runs the application's `validate` on the session the request carried, before any code of
   * the application can read it. `false` ends the session; a throw is kept for Nest's
   * exception layer and leaves the client's cookie as it was.
   */
  async validate(request: unknown): Promise<void> {
    const session = this.current;
    const incoming = this.#incoming;
    // Only a session whose check is due (an adopted one always is), judged as the request came in.
    const checkedAt = this.#readAt();
    if (incoming === undefined || !this.runtime.validationDue(incoming.validatedAt, checkedAt))
      return;
    try {
      const valid = await this.runtime.options.validate!(session, request);
      if (valid !== true) this.destroy();
      // The check's own time, not the seal's: a response held back (a body sent slowly) must not
      // stretch how long this check is trusted.
      else if (this.runtime.options.validateInterval > 0) this.#validatedAt = checkedAt;
    } catch (error) {
      this.#failure = error ?? new Error('validate() failed');
    }
  }

  /**
   * Seals the session now, while the request can still fail with a proper 500, and keeps the
   * result for the moment headers are written.
   * @throws SessionTooLargeError, CookieSessionOptionsError (this request's options break a
   * rule, or a fixed `expires` has passed) or TypeError (data JSON cannot hold: a BigInt, a
   * cycle); the client's cookie is then left as it was.
   */
  prepare(): void {
    const failed = this.#failure !== undefined || this.#failedVersion !== undefined;
    if (failed || this.#refused || this.res.headersSent) return;
    const version = this.#version;
    const lines = this.#linesOrFail();
    this.#prepared = { version, lines, json: this.#linesJson, options: this.#optionsNow() };
  }

  /**
   * Whether the prepared lines still say what the response must carry: code that runs after
   * the handler (an application's interceptor outside this module's, an exception filter) can
   * still change nested data or this request's options, which no own-key trap sees.
   */
  #preparedStillHolds(prepared: Prepared): boolean {
    if (prepared.version !== this.#version || prepared.json !== this.#currentJson()) return false;
    const before = prepared.options;
    const now = this.#optionsNow();
    if (before === now) return true;
    if (before === undefined || now === undefined) return false;
    const keys = Object.keys(now);
    return (
      keys.length === Object.keys(before).length &&
      keys.every((key) => Object.is(before[key], now[key]))
    );
  }

  /** The session's JSON as it stands (`undefined` when never opened or not serialisable). */
  #currentJson(): string | undefined {
    if (this.#session === undefined) return undefined;
    try {
      return JSON.stringify(this.#data);
    } catch {
      return undefined; // a BigInt or a cycle: sealing again will say why
    }
  }

  /** A flat copy of this request's options, when it has its own (a date by its value). */
  #optionsNow(): Record<string, unknown> | undefined {
    if (this.#options === undefined) return undefined;
    const { expires } = this.#options;
    return { ...this.#options, expires: expires instanceof Date ? expires.getTime() : expires };
  }

  /** `ownMaxAge`: the session's own lifetime, what `maxAge` is unless `value` sets it. */
  #copyOptions(value: object, ownMaxAge: number): SessionRequestOptions {
    const copy = {
      ...this.runtime.requestDefaults,
      maxAge: ownMaxAge,
      ...value,
      name: this.runtime.options.name,
    };
    // A copy, so that `setTime()` on it cannot change the expiry of every later request.
    if (copy.expires instanceof Date) copy.expires = new Date(copy.expires.getTime());
    let maxAge = copy.maxAge;
    return Object.defineProperty(copy, 'maxAge', {
      enumerable: true,
      get: () => maxAge,
      set: (next: number) => {
        if (next !== maxAge) this.#maxAgeChosen = true;
        maxAge = next;
      },
    });
  }

  /**
   * The lifetime this session has: one chosen for it earlier ("remember me", carried in its
   * seal), else the module's `maxAge`. What `request.sessionOptions.maxAge` starts as, so that
   * reading it back and setting it again keeps that lifetime.
   */
  #ownMaxAge(): number {
    if (this.#session === undefined) this.#load();
    const lifetime = this.#ended ? 0 : (this.#incoming?.lifetime ?? 0);
    return lifetime || this.runtime.requestDefaults.maxAge;
  }

  /** When the request brought its cookie in: the one time its seal is judged at. */
  #readAt(): number {
    return this.carried?.readAt ?? Date.now();
  }

  #load(): Session {
    const now = this.#readAt();
    const { carried, runtime } = this;
    if (carried?.seal !== undefined) this.#incoming = runtime.sealer.open(carried.seal, now);
    if (this.#incoming === undefined && carried) {
      const adopted = runtime.adoptLegacy(carried, now);
      if (adopted) {
        const data = copyData(adopted.data);
        const session = this.#adopt(data);
        this.#incoming = {
          data,
          json: toJson(data),
          createdAt: now,
          issuedAt: now,
          expiresAt: now + runtime.options.maxAge,
          validatedAt: 0,
          lifetime: 0,
          keyIndex: 0,
          adopted: true,
        };
        return session;
      }
    }
    // The opened data object itself becomes the session: no copy.
    return this.#adopt(this.#incoming?.data ?? {});
  }

  #adopt(data: Record<string, unknown>): Session {
    this.#data = data;
    return (this.#session = createSessionObject(data, this));
  }

  /** Runs just before the headers are written; never throws into the platform. */
  #writeHeaders(): void {
    try {
      // A failed validation keeps the cookie. After a failed write, only a change made since (an
      // exception filter ending or trimming the session) is tried again.
      if (this.#refused || this.#failure !== undefined || this.#version === this.#failedVersion)
        return;
      const prepared = this.#prepared;
      const lines =
        prepared && this.#preparedStillHolds(prepared) ? prepared.lines : this.#linesOrFail();
      if (lines.length === 0) return;
      // A cross-origin request with an unsafe method that failed (the root module's own guards
      // run before the cross-origin check, and may refuse it first) writes nothing either.
      if (this.res.statusCode >= 400 && this.runtime.refusesCrossOrigin(this.req)) return;
      const { overwrite } = this.#options ?? this.runtime.requestDefaults;
      appendSetCookies(this.res, lines, overwrite);
      markPrivate(this.res);
      this.#forgetCarried();
    } catch (error) {
      // Headers are on their way: no 500 is possible any more. Say why, keep the old cookie.
      this.runtime.log.error(
        error instanceof Error ? error.message : `The session could not be saved: ${String(error)}`,
      );
    } finally {
      this.#headersSent = true;
    }
  }

  #linesOrFail(): readonly string[] {
    try {
      return this.#lines();
    } catch (error) {
      this.#failedVersion = this.#version;
      throw error;
    }
  }

  /** The Set-Cookie lines of this response, as the write decision says. */
  #lines(): readonly string[] {
    const now = Date.now();
    this.#linesJson = undefined;
    if (this.#session === undefined && !this.#untouchedNeedsWrite(now)) return [];
    if (this.#session === undefined) this.#load();
    const options = this.#options ?? this.runtime.requestDefaults;
    if (this.#options) checkRequestOptions(options, this.runtime.requestDefaults);
    const incoming = this.#ended ? undefined : this.#incoming;
    const json = toJson(this.#data);
    this.#linesJson = json;
    const changed = json !== (incoming?.json ?? '{}');
    const decision = decideWrite({
      carried: incoming !== undefined,
      ended: this.#ended,
      changed,
      populated: json !== '{}',
      saveRequested: this.#saveRequested,
      saveUninitialized: options.saveUninitialized,
      renewalDue:
        options.autoRenew && incoming !== undefined && this.runtime.renewalDue(incoming, now),
      revalidated: this.#validatedAt !== undefined,
      adopted: incoming?.adopted !== undefined,
    });
    if (decision === 'nothing') return [];
    const input = this.#linesInput(options);
    if (decision === 'clear') return clearLines(input);
    // Without sliding expiry, a seal re-made only to record a passed validation keeps the
    // expiry it had: validation must never turn a fixed lifetime into a sliding one.
    const keptExpiry =
      !options.autoRenew &&
      incoming?.adopted === undefined &&
      !changed &&
      !this.#saveRequested &&
      !this.#maxAgeChosen
        ? incoming?.expiresAt
        : undefined;
    try {
      return this.#sealed(input, json, incoming, options, now, keptExpiry);
    } catch (error) {
      // An adopted session too large for this module's cookies stays in the replaced library's
      // cookie, read again on each request, rather than failing every request of its user.
      if (!(error instanceof SessionTooLargeError) || !this.#adoptionOnly(changed)) throw error;
      this.runtime.warnAdoptedTooLargeOnce(error);
      return [];
    }
  }

  /** The response replaces or ends the seal this request carried: the app need not remember it. */
  #forgetCarried(): void {
    const carried = this.carried?.seal;
    if (carried !== undefined) this.runtime.sealer.forget(carried);
  }

  /** The only reason to write is that the data came from a replaced library's cookie. */
  #adoptionOnly(changed: boolean): boolean {
    return (
      this.#incoming?.adopted !== undefined && !this.#ended && !changed && !this.#saveRequested
    );
  }

  /** An untouched session is written only when its renewal or adoption is due. */
  #untouchedNeedsWrite(now: number): boolean {
    const options = this.#options ?? this.runtime.requestDefaults;
    this.peeked ??= this.runtime.peek(this.carried) ?? null;
    if (this.peeked) return options.autoRenew && this.runtime.renewalDue(this.peeked, now);
    return this.carried !== undefined && this.carried.legacy.size > 0;
  }

  #sealed(
    input: LinesInput,
    json: string,
    incoming: Incoming | undefined,
    options: Readonly<SessionRequestOptions>,
    now: number,
    /** The incoming seal's expiry, when this seal must keep it. */
    keptExpiry: number | undefined,
  ): string[] {
    const { absoluteTimeout, maxAge: moduleMaxAge } = this.runtime.options;
    // An instance whose clock is behind the one that began the session (by less than the skew
    // seals are allowed) would otherwise seal a session created after it was issued, which no
    // instance opens: the user would be logged out and the session lost.
    const createdAt = Math.min(incoming?.createdAt ?? now, now);
    // A maxAge left out beside `expires` chooses no lifetime: the session keeps the one it had.
    const lifetime =
      this.#maxAgeChosen && options.maxAge != null
        ? options.maxAge === moduleMaxAge
          ? 0
          : options.maxAge
        : (incoming?.lifetime ?? 0);
    let expiresAt = keptExpiry ?? options.expires?.getTime() ?? now + (lifetime || moduleMaxAge);
    if (absoluteTimeout !== undefined) expiresAt = Math.min(expiresAt, createdAt + absoluteTimeout);
    if (options.expires && expiresAt <= now) {
      throw new CookieSessionOptionsError(
        'expires',
        `has passed (${options.expires.toISOString()}): every session would be expired at once. Set a later date, or use maxAge`,
      );
    }
    // Clamped as `createdAt` is: a check recorded by a clock ahead must not be trusted longer.
    const validatedAt = Math.min(this.#validatedAt ?? (incoming ? incoming.validatedAt : now), now);
    const value = this.runtime.sealer.seal(json, {
      createdAt,
      issuedAt: now,
      expiresAt,
      validatedAt,
      lifetime,
    });
    // A lifetime chosen for this session ("remember me") keeps its cookie persistent.
    const persistent = !options.sessionCookie || lifetime !== 0;
    return sealLines(input, value, persistent ? expiresAt : undefined, now);
  }

  #linesInput(options: Readonly<SessionRequestOptions>): LinesInput {
    const secure = this.#secure(options);
    const attributes =
      this.#options === undefined
        ? this.runtime.defaultAttributes(secure)
        : attributesOf(options, secure);
    const carried = this.carried?.names ?? [];
    const replaced = this.runtime.replacedCookies(this.carried);
    const { name, maxChunks } = this.runtime.options;
    return { name, maxChunks, attributes, carried, replaced };
  }

  #secure(options: Readonly<SessionRequestOptions>): boolean {
    if (options.secure === false) return false;
    const https = isHttps(this.req, options.secureProxy);
    if (options.secure === 'auto') return https;
    if (!https && !isLocalhost(this.req)) this.runtime.warnInsecureOnce();
    return true;
  }
}

function keyChanged(key: string): string {
  return `The session key ${quote(key)} was changed`;
}
