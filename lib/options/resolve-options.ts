import type {
  CookieSessionOptions,
  SessionRequestOptions,
} from './cookie-session-options.interface.js';

/** Marks options that `resolveOptions` already checked, so they are not checked twice. */
export const RESOLVED: unique symbol = Symbol.for('nest-cookie-session.resolved') as never;

/** Options after validation, with every default filled in. */
export interface ResolvedOptions extends SessionRequestOptions {
  readonly [RESOLVED]: true;
  /** The secrets of the ring (`[secret]` when `secret` was given). */
  readonly keys: readonly (string | Buffer)[];
  readonly absoluteTimeout: number | undefined;
  readonly maxChunks: number;
}

export const DEFAULT_MAX_AGE = 86_400_000;
export const MIN_SECRET_LENGTH = 32;
/**
 * Longest `maxAge`/`timeout`/`absoluteTimeout` (100 years). Seals store instants as 48-bit
 * milliseconds (until the year 10889): a longer lifetime could not be sealed at all.
 */
export const MAX_DURATION = 100 * 365.25 * 86_400_000;
/** Latest instant a seal can carry (2^48 - 1 ms since the epoch). */
const MAX_SEALED_TIME = 2 ** 48 - 1;
const GENERATE =
  "Generate one with: node -e \"console.log(require('crypto').randomBytes(32).toString('base64url'))\"";

// RFC 6265 cookie-name token (RFC 7230 tchar).
const COOKIE_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// A path may hold printable ASCII but ';' (which would start another attribute) and '<' (which
// the `cookie` serialiser refuses: accepting it here would only fail later, on every response).
const COOKIE_PATH = /^\/[\x20-\x3a\x3d-\x7e]*$/;
// A host name: labels of letters, digits and hyphens, optionally a leading dot.
const COOKIE_DOMAIN =
  /^\.?[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

const KNOWN = new Set<string>([
  'secret',
  'keys',
  'name',
  'maxAge',
  'timeout',
  'absoluteTimeout',
  'autoRenew',
  'sessionCookie',
  'expires',
  'path',
  'domain',
  'httpOnly',
  'secure',
  'secureProxy',
  'sameSite',
  'partitioned',
  'priority',
  'overwrite',
  'saveUninitialized',
  'maxChunks',
]);

/** Hints for options of the older session libraries that have no place here. */
const RETIRED: Record<string, string> = {
  signed: 'every seal is authenticated (AES-256-GCM); remove it',
  session_key: 'it is called "name" now',
  session_cookie: 'it is called "sessionCookie" now',
  httponly: 'it is spelled "httpOnly"',
  maxage: 'it is spelled "maxAge"',
  cookieName: 'it is called "name" now',
  duration: 'it is called "maxAge" now (milliseconds)',
  rolling: 'use "autoRenew" (on by default)',
  cookie: 'cookie attributes (maxAge, path, domain, secure, …) are top-level options here',
  store: 'the session lives in the cookie itself: there is no store; remove it',
  resave: 'not needed: a session is written when it changed or is renewed; remove it',
};

/** The hint for an unknown option: a known spelling in another case, or a retired option. */
function hintFor(key: string): string {
  if (Object.prototype.hasOwnProperty.call(RETIRED, key)) return `: ${RETIRED[key]}`;
  const lower = key.toLowerCase();
  for (const known of KNOWN) {
    if (known.toLowerCase() === lower) return `: did you mean "${known}"?`;
  }
  return '';
}

/** Thrown at start-up for an option that cannot work; the message says how to fix it. */
export class CookieSessionOptionsError extends TypeError {
  readonly code = 'ERR_COOKIE_SESSION_OPTIONS';
  constructor(
    readonly option: string,
    problem: string,
  ) {
    super(`CookieSessionModule: option "${option}" ${problem}`);
    this.name = 'CookieSessionOptionsError';
  }
}

function fail(option: string, problem: string): never {
  throw new CookieSessionOptionsError(option, problem);
}

function secretLength(secret: unknown, option: string): number {
  if (typeof secret === 'string') return secret.length;
  if (Buffer.isBuffer(secret)) return secret.length;
  return fail(option, `must be a string or a Buffer. ${GENERATE}`);
}

function checkSecret(secret: unknown, option: string): string | Buffer {
  const length = secretLength(secret, option);
  if (length < MIN_SECRET_LENGTH) {
    fail(
      option,
      `must be at least ${MIN_SECRET_LENGTH} characters or bytes long (got ${length}). ${GENERATE}`,
    );
  }
  return secret as string | Buffer;
}

function checkKeys(options: CookieSessionOptions): readonly (string | Buffer)[] {
  const { secret, keys } = options;
  if (secret !== undefined && keys !== undefined) {
    fail(
      'secret',
      'and "keys" were both given: use "secret" for one key, or "keys" for a key ring',
    );
  }
  if (keys !== undefined) {
    if (!Array.isArray(keys) || keys.length === 0) {
      fail('keys', `must be a non-empty array of secrets, the newest first. ${GENERATE}`);
    }
    const ring = keys.map((key, i) => checkSecret(key, `keys[${i}]`));
    const seen = new Set(ring.map((key) => Buffer.from(key).toString('hex')));
    if (seen.size !== ring.length)
      fail('keys', 'holds the same secret twice: remove the duplicate');
    return ring;
  }
  if (secret === undefined) {
    fail('secret', `is required (or "keys" for a key ring). ${GENERATE}`);
  }
  return [checkSecret(secret, 'secret')];
}

function boolean(options: Record<string, unknown>, option: string, fallback: boolean): boolean {
  const value = options[option];
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') fail(option, `must be true or false (got ${describe(value)})`);
  return value;
}

function duration(value: unknown, option: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    const browserSession =
      value === null && option !== 'absoluteTimeout'
        ? '; for a cookie that ends with the browser session set sessionCookie: true'
        : '';
    fail(
      option,
      `must be a whole number of milliseconds greater than 0 (got ${describe(value)}), e.g. 86400000 for a day${browserSession}`,
    );
  }
  if (value > MAX_DURATION) {
    fail(option, `must be at most ${MAX_DURATION} milliseconds (100 years) (got ${value})`);
  }
  return value;
}

function describe(value: unknown): string {
  if (typeof value === 'string')
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (value instanceof Date) return `Date(${value.toString()})`;
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? (value === null ? 'null' : 'an object') : String(value);
}

/** Cookie-name prefixes are matched case-insensitively by browsers (RFC 6265bis §4.1.3). */
function hasPrefix(name: string, prefix: string): boolean {
  return name.slice(0, prefix.length).toLowerCase() === prefix.toLowerCase();
}

function checkName(name: unknown): string {
  if (typeof name !== 'string' || !COOKIE_NAME.test(name)) {
    fail(
      'name',
      `must be a cookie-name token: letters, digits and !#$%&'*+-.^_\`|~ only (got ${describe(name)})`,
    );
  }
  if (name.length > 200) fail('name', 'must be at most 200 characters, leaving room for the value');
  return name;
}

/**
 * Validates options once, at start-up, and fills in the defaults.
 * @throws CookieSessionOptionsError naming the option and how to fix it.
 */
export function resolveOptions(input: CookieSessionOptions): ResolvedOptions {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    fail(
      'options',
      `must be an object such as { secret: process.env.SESSION_SECRET } (got ${describe(input)})`,
    );
  }
  const options = input as Record<string, unknown>;
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key)) fail(key, `is not an option of nest-cookie-session${hintFor(key)}`);
  }
  // Only `undefined` means "not set": `null` or any other value is checked, and fails unless valid.
  const keys = checkKeys(input);
  const name = input.name === undefined ? 'session' : checkName(input.name);

  if (input.maxAge !== undefined && input.timeout !== undefined) {
    fail('timeout', 'is an alias of "maxAge": set one of them, not both');
  }
  const lifetime = input.maxAge !== undefined ? input.maxAge : input.timeout;
  const maxAge =
    lifetime === undefined
      ? DEFAULT_MAX_AGE
      : duration(lifetime, input.maxAge !== undefined ? 'maxAge' : 'timeout');
  const absoluteTimeout =
    input.absoluteTimeout === undefined
      ? undefined
      : duration(input.absoluteTimeout, 'absoluteTimeout');
  if (input.expires !== undefined) {
    if (!(input.expires instanceof Date) || Number.isNaN(input.expires.getTime())) {
      fail('expires', `must be a valid Date (got ${describe(input.expires)})`);
    }
    const time = input.expires.getTime();
    if (time <= Date.now()) {
      fail(
        'expires',
        `is in the past (${input.expires.toISOString()}): every session would expire at once. Use a future date, or maxAge`,
      );
    }
    if (time > MAX_SEALED_TIME) {
      fail(
        'expires',
        `must be before ${new Date(MAX_SEALED_TIME).toISOString()} (the latest a seal can hold)`,
      );
    }
    if (lifetime !== undefined)
      fail(
        'expires',
        'and "maxAge"/"timeout" were both given: a cookie has one expiry, set one of them',
      );
  }

  const path = input.path === undefined ? '/' : input.path;
  if (typeof path !== 'string' || !COOKIE_PATH.test(path)) {
    fail(
      'path',
      `must start with "/" and hold no ";" or control characters (got ${describe(path)})`,
    );
  }
  const domain = input.domain;
  if (domain !== undefined && (typeof domain !== 'string' || !COOKIE_DOMAIN.test(domain))) {
    fail('domain', `must be a host name such as "example.com" (got ${describe(domain)})`);
  }

  const secure = input.secure === undefined ? true : input.secure;
  if (secure !== true && secure !== false && secure !== 'auto') {
    fail('secure', `must be true, false or 'auto' (got ${describe(secure)})`);
  }
  const sameSite = input.sameSite === undefined ? 'lax' : input.sameSite;
  if (sameSite !== 'lax' && sameSite !== 'strict' && sameSite !== 'none' && sameSite !== false) {
    fail('sameSite', `must be 'lax', 'strict', 'none' or false (got ${describe(sameSite)})`);
  }
  if (sameSite === 'none' && secure === false) {
    fail(
      'sameSite',
      "'none' requires secure: true (or 'auto'): browsers reject SameSite=None cookies without Secure",
    );
  }
  const partitioned =
    input.partitioned === undefined ? undefined : boolean(options, 'partitioned', false);
  if (partitioned && secure === false) fail('partitioned', "requires secure: true (or 'auto')");
  const priority = input.priority;
  if (
    priority !== undefined &&
    priority !== 'low' &&
    priority !== 'medium' &&
    priority !== 'high'
  ) {
    fail('priority', `must be 'low', 'medium' or 'high' (got ${describe(priority)})`);
  }
  if (hasPrefix(name, '__Secure-') && secure !== true)
    fail('name', 'starts with "__Secure-", which requires secure: true');
  if (hasPrefix(name, '__Host-') && (secure !== true || path !== '/' || domain !== undefined)) {
    fail('name', 'starts with "__Host-", which requires secure: true, path "/" and no domain');
  }

  const maxChunks = input.maxChunks === undefined ? 1 : input.maxChunks;
  if (!Number.isInteger(maxChunks) || maxChunks < 1 || maxChunks > 20) {
    fail('maxChunks', `must be a whole number from 1 to 20 (got ${describe(maxChunks)})`);
  }

  const resolved = {
    keys,
    name,
    maxAge,
    absoluteTimeout,
    autoRenew: boolean(options, 'autoRenew', true),
    sessionCookie: boolean(options, 'sessionCookie', false),
    expires: input.expires,
    path,
    domain,
    httpOnly: boolean(options, 'httpOnly', true),
    secure,
    secureProxy: boolean(options, 'secureProxy', false),
    sameSite,
    partitioned,
    priority,
    overwrite: boolean(options, 'overwrite', true),
    saveUninitialized: boolean(options, 'saveUninitialized', false),
    maxChunks,
  } as Omit<ResolvedOptions, typeof RESOLVED>;
  // Not enumerable: a spread copy (`{ ...codec.options, name: 'x' }`) is not taken for checked
  // options, so it is validated again rather than trusted.
  Object.defineProperty(resolved, RESOLVED, { value: true, enumerable: false });
  return resolved as ResolvedOptions;
}
