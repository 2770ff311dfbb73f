import { cookieRuleViolation } from '../cookie/cookie-rules.js';
import type { CookieAttributes } from '../cookie/set-cookie.js';
import { MAX_TIME } from '../crypto/seal-format.js';
import type { SessionRequestOptions } from '../options/cookie-session-options.interface.js';
import { MAX_DURATION } from '../options/option-rules.js';
import type { ResolvedOptions } from '../options/resolve-options.js';
import { CookieSessionOptionsError, quote } from '../errors.js';

/** The module's options a request may change for its own response (no secrets among them). */
export function requestDefaultsOf(options: ResolvedOptions): Readonly<SessionRequestOptions> {
  const { name, maxAge, expires, autoRenew, sessionCookie, path, domain, httpOnly } = options;
  const { secure, secureProxy, sameSite, partitioned, priority, overwrite } = options;
  return Object.freeze({
    name,
    maxAge,
    expires,
    autoRenew,
    sessionCookie,
    path,
    domain,
    httpOnly,
    secure,
    secureProxy,
    sameSite,
    partitioned,
    priority,
    overwrite,
    saveUninitialized: options.saveUninitialized,
  });
}

function bad(option: string, problem: string): never {
  throw new CookieSessionOptionsError(`request.sessionOptions.${option}`, problem);
}

function shown(value: unknown): string {
  if (typeof value === 'string') return quote(value);
  if (value instanceof Date) return `Date(${String(value.getTime())})`;
  return typeof value === 'object' ? (value === null ? 'null' : 'an object') : String(value);
}

/**
 * The switches a request may flip, booleans as the module's own (its option rules): the cookie
 * and the write decision read each one as true or false.
 */
const SWITCHES = [
  'autoRenew',
  'sessionCookie',
  'httpOnly',
  'secureProxy',
  'overwrite',
  'saveUninitialized',
] as const;

/**
 * A request's own options follow the module's rules: checked before anything is written, so a
 * cookie a browser would silently drop is a clear error instead. Values are quoted, never echoed.
 * `moduleOptions` are the options the request started from (`requestDefaultsOf`).
 * @throws CookieSessionOptionsError naming the option (`request.sessionOptions.<option>`).
 */
export function checkRequestOptions(
  options: Readonly<SessionRequestOptions>,
  moduleOptions: Readonly<SessionRequestOptions>,
): void {
  const { maxAge, expires } = options;
  if (expires !== undefined) {
    if (!(expires instanceof Date) || Number.isNaN(expires.getTime()))
      bad('expires', `must be a valid Date or undefined (got ${shown(expires)})`);
    if (expires.getTime() > MAX_TIME)
      bad(
        'expires',
        `must be before ${new Date(MAX_TIME).toISOString()} (the latest a seal can hold)`,
      );
  }
  // Beside an `expires`, which then decides the cookie's end, maxAge may be left out; a value
  // given is still the session's own lifetime for later requests, so it is judged.
  const maxAgeLeftOut = expires !== undefined && (maxAge === undefined || maxAge === null);
  if (!maxAgeLeftOut && (!Number.isSafeInteger(maxAge) || maxAge <= 0 || maxAge > MAX_DURATION)) {
    bad(
      'maxAge',
      `must be a whole number of milliseconds from 1 to ${MAX_DURATION} (got ${shown(maxAge)})`,
    );
  }
  // Browsers key cookies by name, domain and path (and keep partitioned cookies apart): a cookie
  // written elsewhere does not replace the module's, it joins it, and every request under both
  // carries the name twice (read as a tossed cookie) with twice the chunks. The module's values
  // passed their checks at start-up, so an equal value needs no other.
  for (const option of ['path', 'domain'] as const) {
    if (options[option] !== moduleOptions[option]) {
      bad(
        option,
        `must stay ${shown(moduleOptions[option])} (got ${shown(options[option])}): a cookie at another ${option} ` +
          `is a second cookie that browsers send beside the first, and a request carrying both has no session; ` +
          `set ${option} on the module`,
      );
    }
  }
  for (const option of SWITCHES) {
    if (typeof options[option] !== 'boolean')
      bad(option, `must be true or false (got ${shown(options[option])})`);
  }
  if (options.partitioned !== undefined && typeof options.partitioned !== 'boolean')
    bad('partitioned', `must be true, false or undefined (got ${shown(options.partitioned)})`);
  if (Boolean(options.partitioned) !== Boolean(moduleOptions.partitioned)) {
    bad(
      'partitioned',
      `must stay ${String(Boolean(moduleOptions.partitioned))}: a partitioned cookie and an unpartitioned one ` +
        `are two cookies that browsers send side by side, and a request carrying both has no session; ` +
        `set partitioned on the module`,
    );
  }
  if (options.priority !== undefined && !['low', 'medium', 'high'].includes(options.priority)) {
    bad(
      'priority',
      `must be 'low', 'medium', 'high' or undefined (got ${shown(options.priority)})`,
    );
  }
  if (!['lax', 'strict', 'none', false].includes(options.sameSite))
    bad('sameSite', `must be 'lax', 'strict', 'none' or false (got ${shown(options.sameSite)})`);
  if (![true, false, 'auto'].includes(options.secure))
    bad('secure', `must be true, false or 'auto' (got ${shown(options.secure)})`);
  const violation = cookieRuleViolation(options);
  if (violation) bad(violation.option, violation.problem);
}

/** The cookie attributes (all but the expiry) of a response under `options`. */
export function attributesOf(
  options: Readonly<SessionRequestOptions>,
  secure: boolean,
): CookieAttributes {
  return {
    path: options.path,
    domain: options.domain,
    httpOnly: options.httpOnly,
    secure,
    sameSite: options.sameSite,
    partitioned: options.partitioned,
    priority: options.priority,
  };
}
