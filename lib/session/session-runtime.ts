import type { IncomingMessage } from 'node:http';
import { MAX_CHUNKS } from '../cookie/chunks.js';
import { crossOriginRefusal, judgedMethod } from '../cookie/cross-origin.js';
import type { LegacyCookie } from '../legacy/legacy-cookie.js';
import type { CookieSessionOptions } from '../options/cookie-session-options.interface.js';
import { resolveOptions, type ResolvedOptions } from '../options/resolve-options.js';
import { readCarriedCookie, type CarriedCookie } from './carried-cookie.js';
import type { ReplacedCookies } from './session-cookie-lines.js';
import { RecentSeals } from './recent-seals.js';
import { CLOCK_SKEW_MS, SessionSealer, type PeekedSeal } from './session-sealer.js';
import type { SealTimes } from '../crypto/seal-format.js';
import { quote, type SessionTooLargeError } from '../errors.js';
import type { SessionRequestOptions } from '../options/cookie-session-options.interface.js';
import { attributesOf, requestDefaultsOf } from './request-options.js';
import type { CookieAttributes } from '../cookie/set-cookie.js';

/** Where the runtime says what the application should know (Nest's `Logger` in the module). */
export interface SessionLog {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

type LostChange = 'late' | 'replaced' | 'answered';

/** Why a change was lost, and what to do, after "<what> on <route>". */
const LOST_BECAUSE: Record<LostChange, string> = {
  late:
    "after the response's headers were sent: the change is lost. Finish changing the session " +
    'before the response is sent (await the work instead of leaving a promise or timer running).',
  replaced:
    'through a session object that regenerate(), destroy() or a new request.session had replaced: ' +
    'the change is lost. Read the session again after replacing it (request.session, ' +
    'SessionService.get(), or what SessionService.regenerate() returns).',
  answered:
    'was used after that request had been answered: it gives an empty session there, and changes ' +
    "are lost. Code still running in an answered request's context (a timer started during it, a " +
    "callback of a connection shared between requests such as a ClientProxy's) may be working for " +
    'another user. Read the session in the handler and pass on what you need.',
};

/** What most requests carry of the replaced libraries' cookies. */
const NONE_REPLACED: readonly ReplacedCookies[] = Object.freeze([]);

/** How many kinds of lost changes are reported before the rest are not. */
const LOST_CHANGE_REPORTS = 100;

/**
 * What every request of one application shares: the validated options (no secrets in them), the
 * sealer built from the secrets, the replaced libraries' readers, and the one-time warnings.
 */
export class SessionRuntime {
  readonly options: ResolvedOptions;
  readonly sealer: SessionSealer;
  /** What `request.sessionOptions` starts as: the module's options a request may change. */
  readonly requestDefaults: Readonly<SessionRequestOptions>;
  readonly log: SessionLog;
  /** The module's cookie attributes, without and with `Secure`: one object each, reused. */
  readonly #attributes: readonly [CookieAttributes, CookieAttributes];
  readonly #legacyNames: ReadonlySet<string>;
  #legacyClosedSaid = false;
  #insecureSaid = false;
  #futureSealSaid = false;
  #adoptedTooLargeSaid = false;
  #legacyUnreadSaid = false;
  readonly #lostChangesSaid = new Set<string>();
  #lostChangesCapSaid = false;

  /** @throws CookieSessionOptionsError when the options are invalid. */
  constructor(input: CookieSessionOptions, log: SessionLog) {
    const { options, secrets } = resolveOptions(input);
    this.options = options;
    this.sealer = new SessionSealer(secrets, options, new RecentSeals(), () =>
      this.#warnFutureSealOnce(),
    );
    this.requestDefaults = requestDefaultsOf(options);
    this.#attributes = [
      Object.freeze(attributesOf(this.requestDefaults, false)),
      Object.freeze(attributesOf(this.requestDefaults, true)),
    ];
    this.log = log;
    this.#legacyNames = new Set(options.legacy?.readers.flatMap((reader) => reader.names) ?? []);
  }

  /** The session cookie the request carried, read once per request (at `now`). */
  carried(req: IncomingMessage, now = Date.now()): CarriedCookie | undefined {
    const { name, maxChunks } = this.options;
    return readCarriedCookie(req.headers.cookie, name, maxChunks, this.#legacyNames, now);
  }

  /** The module's own cookie attributes for a response with or without `Secure`. */
  defaultAttributes(secure: boolean): CookieAttributes {
    return this.#attributes[secure ? 1 : 0];
  }

  /** The header of the seal carried, when it was in date as the request came in (nothing is decrypted). */
  peek(carried: CarriedCookie | undefined): PeekedSeal | undefined {
    return carried?.seal === undefined ? undefined : this.sealer.peek(carried.seal, carried.readAt);
  }

  /** Whether an unchanged session sealed at these times is re-sealed now (`autoRenew` on). */
  renewalDue(seal: SealTimes & { keyIndex: number }, now: number): boolean {
    const { renewAfter, absoluteTimeout, expires } = this.options;
    if (seal.keyIndex !== 0 || renewAfter === 0) return true;
    // A seal at its cap would be re-sealed with the very same expiry: nothing to renew.
    if (absoluteTimeout !== undefined && seal.expiresAt >= seal.createdAt + absoluteTimeout)
      return false;
    if (expires !== undefined && seal.expiresAt === expires.getTime()) return false;
    const lifetime = seal.expiresAt - seal.issuedAt;
    // A renewAfter the seal does not outlive (a session given a shorter lifetime than the
    // module's: "remember me" unticked) would let it expire unrenewed: half its lifetime then.
    const after = renewAfter === undefined || renewAfter >= lifetime ? lifetime / 2 : renewAfter;
    return now - seal.issuedAt >= after;
  }

  /** Whether `validate` must run for a session last validated at `validatedAt`. */
  validationDue(validatedAt: number, now: number): boolean {
    if (!this.options.validate) return false;
    return (
      this.options.validateInterval === 0 || now - validatedAt >= this.options.validateInterval
    );
  }

  /**
   * The replaced libraries' cookies a request carried, with where each lives: a response that
   * writes the session expires them, so that an old cookie set again (by an instance of the old
   * app during a rolling deploy, or tossed in) cannot log its user back in after a logout.
   */
  replacedCookies(carried: CarriedCookie | undefined): readonly ReplacedCookies[] {
    const carriedNames = carried?.legacyNames;
    if (!carriedNames?.length) return NONE_REPLACED;
    const replaced: ReplacedCookies[] = [];
    for (const { names, scope } of this.options.legacy?.readers ?? []) {
      const present = names.filter((name) => carriedNames.includes(name));
      if (present.length > 0) replaced.push({ names: present, scope });
    }
    return replaced;
  }

  /** Whether the cross-origin check refuses `req` (by its method and headers alone). */
  refusesCrossOrigin(req: IncomingMessage): boolean {
    const policy = this.options.csrf;
    return (
      policy !== undefined &&
      crossOriginRefusal(judgedMethod(req), req.headers, policy) !== undefined
    );
  }

  /** The data of a replaced library's cookie the request carried, while such cookies are read. */
  adoptLegacy(carried: CarriedCookie, now: number): LegacyCookie | undefined {
    const legacy = this.options.legacy;
    if (!legacy || carried.legacy.size === 0) return undefined;
    if (legacy.until !== undefined && now >= legacy.until) {
      if (!this.#legacyClosedSaid) {
        this.#legacyClosedSaid = true;
        this.log.log(
          'The "legacy" window has closed ("until" has passed): cookies of the replaced session library are ' +
            'no longer read. Remove the "legacy" option.',
        );
      }
      return undefined;
    }
    const get = (name: string) => carried.legacy.get(name);
    for (const reader of legacy.readers) {
      const adopted = reader.read(get, now);
      if (adopted) return adopted;
    }
    this.#warnLegacyUnreadOnce();
    return undefined;
  }

  /**
   * Said once: a replaced library's cookie that does not read logs its user out, which for
   * every returning user means the `legacy` keys are not the old app's.
   */
  #warnLegacyUnreadOnce(): void {
    if (this.#legacyUnreadSaid) return;
    this.#legacyUnreadSaid = true;
    this.log.warn(
      'A cookie of the replaced session library came in and could not be read (not signed or ' +
        'encrypted with the configured legacy keys or secret, altered, or expired): its user ' +
        'starts a new session. If returning users are all logged out, check that "legacy" holds ' +
        "the old app's keys or secret exactly as they were. Said once.",
    );
  }

  /** Said once: an adopted session stays in the replaced library's cookie. */
  warnAdoptedTooLargeOnce({ size, limit, maxChunks }: SessionTooLargeError): void {
    if (this.#adoptedTooLargeSaid) return;
    this.#adoptedTooLargeSaid = true;
    const raise =
      maxChunks < MAX_CHUNKS
        ? `Raise "maxChunks" (up to ${MAX_CHUNKS}) to move such sessions over.`
        : `"maxChunks" is at its most (${MAX_CHUNKS}): keep less in such sessions to move them over.`;
    this.log.warn(
      `A session adopted from the replaced library's cookie does not fit this module's cookies ` +
        `(${size} bytes needed, ${limit} fit in maxChunks: ${maxChunks}). ` +
        'It is read from the old cookie on every request, which is left in place, until it fits or "legacy.until" ' +
        `passes. ${raise}`,
    );
  }

  /**
   * Said once: a seal of ours issued more than the allowed skew ahead of this clock logs its
   * user out, which happens only when the app's instances disagree on the time.
   */
  #warnFutureSealOnce(): void {
    if (this.#futureSealSaid) return;
    this.#futureSealSaid = true;
    this.log.warn(
      `A session cookie sealed more than ${CLOCK_SKEW_MS / 1000} s ahead of this server's clock came in and was refused: ` +
        "its user starts a new session. The clocks of the app's instances disagree: keep them in sync (NTP). Said once.",
    );
  }

  /** Says once why browsers will drop a Secure cookie sent over plain HTTP, and what to set. */
  warnInsecureOnce(): void {
    if (this.#insecureSaid) return;
    this.#insecureSaid = true;
    this.log.warn(
      `The session cookie "${this.options.name}" is marked Secure but a request reached the app over plain HTTP, ` +
        'so browsers will not store it and sessions will not stick. Serve the app over HTTPS; behind a ' +
        'TLS-terminating proxy set secureProxy: true (it trusts X-Forwarded-Proto); or set secure: ' +
        "'auto' to mark the cookie Secure only on HTTPS requests. (http://localhost is exempt.)",
    );
  }

  /**
   * Says once per kind of change that a change was lost: made after the headers left (`late`),
   * through a session object that was replaced earlier in the request (`replaced`), or through
   * `SessionService` after its request was answered (`answered`). The route is shown, not
   * counted: a client choosing URLs or methods must not use up the reports and hide the next.
   */
  warnLostChange(req: IncomingMessage, what: string, why: LostChange): void {
    const said = `${why} ${what}`;
    if (this.#lostChangesSaid.has(said)) return;
    if (this.#lostChangesSaid.size >= LOST_CHANGE_REPORTS) {
      if (!this.#lostChangesCapSaid) {
        this.#lostChangesCapSaid = true;
        this.log.warn(
          `${LOST_CHANGE_REPORTS} kinds of lost session changes were reported; further ones are not. Said once.`,
        );
      }
      return;
    }
    this.#lostChangesSaid.add(said);
    const route = `${req.method ?? '?'} ${(req.url ?? '').split('?', 1)[0]}`;
    this.log.warn(`${what} on ${quote(route)} ${LOST_BECAUSE[why]}`);
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `SessionRuntime { name: ${JSON.stringify(this.options.name)} }`;
  }

  toJSON(): object {
    return { name: this.options.name };
  }
}
