import { CookieSessionOptionsError } from '../errors.js';
import { MAX_CHUNKS } from '../cookie/chunks.js';
import type { CookieSessionOptions } from './cookie-session-options.interface.js';
import { weaknessOf } from './secret-strength.js';

/** Throws the options error: the option, what is wrong, how to fix it. */
export function fail(option: string, problem: string): never {
  throw new CookieSessionOptionsError(option, problem);
}

/** A value quoted for an error message: JSON-escaped (no control characters reach a log), short. */
export function describe(value: unknown): string {
  if (typeof value === 'string')
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (value instanceof Date) return `Date(${value.toString()})`;
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? (value === null ? 'null' : 'an object') : String(value);
}

export const MIN_SECRET_LENGTH = 32;
/**
 * Longest `maxAge`/`timeout`/`absoluteTimeout` (100 years). Seals store instants as 48-bit
 * milliseconds (until the year 10889): a longer lifetime could not be sealed at all.
 */
export const MAX_DURATION = 100 * 365.25 * 86_400_000;
export const GENERATE =
  "Generate one with: node -e \"console.log(require('crypto').randomBytes(32).toString('base64url'))\"";

type Rule = (value: unknown, option: string) => void;

function secret(value: unknown, option: string): void {
  if (typeof value !== 'string' && !Buffer.isBuffer(value))
    fail(option, `must be a string or a Buffer. ${GENERATE}`);
  if (value.length < MIN_SECRET_LENGTH) {
    fail(
      option,
      `must be at least ${MIN_SECRET_LENGTH} characters or bytes long (got ${value.length}). ${GENERATE}`,
    );
  }
  const weakness = weaknessOf(value);
  if (weakness) fail(option, `is too easy to guess: it ${weakness}. ${GENERATE}`);
}

function keys(value: unknown, option: string): void {
  if (!Array.isArray(value) || value.length === 0)
    fail(option, `must be a non-empty array of secrets, the newest first. ${GENERATE}`);
  value.forEach((key, i) => secret(key, `${option}[${i}]`));
}

const boolean: Rule = (value, option) => {
  if (typeof value !== 'boolean') fail(option, `must be true or false (got ${describe(value)})`);
};

function duration(min: number): Rule {
  return (value, option) => {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
      const browserSession =
        value === null && (option === 'maxAge' || option === 'timeout')
          ? '; for a cookie that ends with the browser session set sessionCookie: true'
          : '';
      fail(
        option,
        `must be a whole number of milliseconds of at least ${min} (got ${describe(value)}), e.g. 86400000 for a day${browserSession}`,
      );
    }
    if (value > MAX_DURATION)
      fail(option, `must be at most ${MAX_DURATION} milliseconds (100 years) (got ${value})`);
  };
}

function oneOf(...allowed: unknown[]): Rule {
  const list = allowed.map((v) => (typeof v === 'string' ? `'${v}'` : String(v))).join(', ');
  return (value, option) => {
    if (!allowed.includes(value)) fail(option, `must be one of ${list} (got ${describe(value)})`);
  };
}

const string: Rule = (value, option) => {
  if (typeof value !== 'string') fail(option, `must be a string (got ${describe(value)})`);
};

/** Checked by their own resolvers (nested options with paths of their own). */
const nested: Rule = () => undefined;

/**
 * One rule per option, for the value alone (rules across options are in `resolveOptions`). The
 * `satisfies` clause makes the compiler demand a rule for every option, and the list of known
 * options is this table's keys.
 */
export const OPTION_RULES = {
  secret,
  keys,
  name: string,
  maxAge: duration(1),
  timeout: duration(1),
  absoluteTimeout: duration(1),
  autoRenew: boolean,
  renewAfter: duration(0),
  validate: (value, option) => {
    if (typeof value !== 'function')
      fail(
        option,
        `must be a function (session, request) => boolean | Promise<boolean> (got ${describe(value)})`,
      );
  },
  validateInterval: duration(0),
  sessionCookie: boolean,
  expires: (value, option) => {
    if (!(value instanceof Date) || Number.isNaN(value.getTime()))
      fail(option, `must be a valid Date (got ${describe(value)})`);
  },
  path: (value, option) => {
    // Browsers ignore a Path that does not start with "/" (and trim spaces): the cookie would
    // land elsewhere than the lines that clear it.
    if (typeof value !== 'string' || !value.startsWith('/') || value.trim() !== value)
      fail(
        option,
        `must start with "/" and have no surrounding spaces, e.g. "/" (got ${describe(value)})`,
      );
  },
  domain: (value, option) => {
    if (typeof value !== 'string' || value.trim() === '' || value.trim() !== value)
      fail(
        option,
        `must be a host name such as "example.com", or left out (got ${describe(value)})`,
      );
  },
  httpOnly: boolean,
  secure: oneOf(true, false, 'auto'),
  secureProxy: boolean,
  sameSite: (value, option) =>
    value === true
      ? fail(
          option,
          "must be one of 'lax', 'strict', 'none', false (got true; cookie-session's true is 'strict')",
        )
      : oneOf('lax', 'strict', 'none', false)(value, option),
  partitioned: boolean,
  priority: oneOf('low', 'medium', 'high'),
  overwrite: boolean,
  saveUninitialized: boolean,
  maxChunks: (value, option) => {
    if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > MAX_CHUNKS) {
      fail(
        option,
        `must be a whole number from 1 to ${MAX_CHUNKS} (got ${describe(value)}): more cookies would exceed the ` +
          '16 KB of request headers a default Node server accepts, and every request of that client would fail with HTTP 431',
      );
    }
  },
  legacy: nested,
  csrf: nested,
  globalInterceptor: boolean,
} satisfies Record<keyof CookieSessionOptions, Rule>;

/** Hints for options of the older session libraries that have no place here. */
const RETIRED: Record<string, string> = {
  signed: 'every seal is authenticated (AES-256-GCM); remove it',
  session_key: 'it is called "name" now',
  session_cookie: 'it is called "sessionCookie" now',
  cookieName: 'it is called "name" now',
  duration: 'it is called "maxAge" now (milliseconds)',
  rolling:
    'use "renewAfter: 0" to re-seal on every response ("autoRenew", on by default, re-seals once half the lifetime has passed)',
  cookie: 'cookie attributes (maxAge, path, domain, secure, …) are top-level options here',
  store: 'the session lives in the cookie itself: there is no store; remove it',
  resave: 'not needed: a session is written when it changed or is renewed; remove it',
  isGlobal: 'forRoot() always registers a global module; remove it',
};

/** The hint for an unknown option: a known spelling in another case, or a retired option. */
export function hintFor(key: string): string {
  if (Object.hasOwn(RETIRED, key)) return `: ${RETIRED[key]}`;
  const lower = key.toLowerCase();
  const known = Object.keys(OPTION_RULES).find((option) => option.toLowerCase() === lower);
  return known ? `: did you mean "${known}"?` : '';
}
