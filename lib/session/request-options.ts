import { serialize } from 'cookie';
import { cookieRuleViolation } from '../cookie/cookie-rules.js';
import type { CookieAttributes } from '../cookie/set-cookie.js';
import type { SessionRequestOptions } from '../options/cookie-session-options.interface.js';
import { MAX_DURATION } from '../options/option-rules.js';
import type { ResolvedOptions } from '../options/resolve-options.js';
import { quote } from '../errors.js';

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
  throw new TypeError(`request.sessionOptions.${option} ${problem}`);
}

function shown(value: unknown): string {
  if (typeof value === 'string') return quote(value);
  if (value instanceof Date) return `Date(${String(value.getTime())})`;
  return typeof value === 'object' ? (value === null ? 'null' : 'an object') : String(value);
}

/**
 * A request's own options follow the module's rules: checked before anything is written, so a
 * cookie a browser would silently drop is a clear error instead. Values are quoted, never echoed.
 * @throws TypeError naming the option.
 */
export function checkRequestOptions(options: Readonly<SessionRequestOptions>): void {
  const { maxAge, expires, path, domain } = options;
  if (expires !== undefined) {
    if (!(expires instanceof Date) || Number.isNaN(expires.getTime()))
      bad('expires', `must be a valid Date or undefined (got ${shown(expires)})`);
  } else if (!Number.isSafeInteger(maxAge) || maxAge <= 0 || maxAge > MAX_DURATION) {
    bad(
      'maxAge',
      `must be a whole number of milliseconds from 1 to ${MAX_DURATION} (got ${shown(maxAge)})`,
    );
  }
  if (typeof path !== 'string' || !path.startsWith('/') || path.trim() !== path)
    bad('path', `must start with "/" and have no surrounding spaces (got ${shown(path)})`);
  if (domain !== undefined && (typeof domain !== 'string' || domain.trim() === ''))
    bad('domain', `must be a host name or undefined (got ${shown(domain)})`);
  for (const [option, value] of [
    ['path', path],
    ['domain', domain],
  ] as const) {
    try {
      if (value !== undefined) serialize('x', 'x', { [option]: value });
    } catch {
      bad(option, `is not accepted in a cookie (got ${shown(value)})`);
    }
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
