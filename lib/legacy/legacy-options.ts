import { types } from 'node:util';
import { serialize } from 'cookie';
import { CookieSessionReader } from './cookie-session-reader.js';
import { CookieSessionsReader } from './cookie-sessions-reader.js';
import type { LegacyCookieScope } from './legacy-cookie.js';

/** Reading the sessions of the libraries this one replaces, so switching logs nobody out. */
export interface LegacyOptions {
  /**
   * expressjs/cookie-session: the old `keys` (newest first), cookie `name` (default 'session'),
   * and the old cookie's `path` (default '/'), `domain` and `partitioned` (cookie-session 2.1's
   * option; by default the module's own), so that it can be expired.
   */
  cookieSession?: {
    keys: (string | Buffer)[];
    name?: string;
    path?: string;
    domain?: string;
    partitioned?: boolean;
  };
  /**
   * auth0 cookie-sessions: the old `secret`, cookie `name` (default '_node'), `timeout` (ms),
   * and the old cookie's `path` (default '/') and `domain`, so that it can be expired.
   */
  cookieSessions?: {
    secret: string | Buffer;
    name?: string;
    timeout?: number;
    path?: string;
    domain?: string;
  };
  /** After this date the old cookies are no longer read. */
  until?: Date;
}

export interface ResolvedLegacy {
  readonly readers: readonly (CookieSessionReader | CookieSessionsReader)[];
  /** Milliseconds since the epoch after which the readers are no longer used. */
  readonly until: number | undefined;
}

/** Reports an option that cannot work; throws the module's options error. */
export type FailOption = (option: string, problem: string) => never;

// Cookie-name token (RFC 6265 / RFC 7230 tchar), plus ':' for cookie-session 1.x's 'express:sess'.
const COOKIE_NAME = /^[!#$%&'*+\-.^_`|~:0-9A-Za-z]+$/;
const AES_KEY_LENGTH = 32;

const HINTS: Record<string, Record<string, string>> = {
  legacy: {
    keys: 'belongs in "legacy.cookieSession.keys"',
    secret:
      'belongs in "legacy.cookieSessions.secret" (auth0 cookie-sessions) or, for expressjs cookie-session, write "legacy.cookieSession.keys: [secret]"',
    name: 'belongs in "legacy.cookieSession" or "legacy.cookieSessions"',
    timeout: 'belongs in "legacy.cookieSessions.timeout"',
  },
  'legacy.cookieSession': {
    secret: 'cookie-session\'s single "secret" is written "keys: [secret]" here',
  },
  'legacy.cookieSessions': {
    maxAge: 'the old library called it "timeout" (milliseconds)',
  },
};

/** Checks the `legacy` option at start-up; `undefined` when it is not set. */
export function resolveLegacyOptions(value: unknown, fail: FailOption): ResolvedLegacy | undefined {
  if (value === undefined) return undefined;
  const legacy = objectAt(value, 'legacy', fail, '{ cookieSession?, cookieSessions?, until? }');
  refuseUnknown(legacy, 'legacy', ['cookieSession', 'cookieSessions', 'until'], fail);
  if (legacy.cookieSession === undefined && legacy.cookieSessions === undefined) {
    fail(
      'legacy',
      'needs "cookieSession" (sessions of expressjs cookie-session) or "cookieSessions" (sessions of auth0 cookie-sessions), or remove "legacy"',
    );
  }
  const readers: (CookieSessionReader | CookieSessionsReader)[] = [];
  if (legacy.cookieSession !== undefined) readers.push(cookieSession(legacy.cookieSession, fail));
  if (legacy.cookieSessions !== undefined)
    readers.push(cookieSessions(legacy.cookieSessions, fail));
  const names = readers.flatMap((reader) => reader.names);
  const shared = names.find((name, i) => names.indexOf(name) !== i);
  if (shared !== undefined) {
    fail(
      'legacy.cookieSessions.name',
      `gives the cookie "${shared}" that "legacy.cookieSession" reads too: give each old library the cookie name it used`,
    );
  }
  return { readers: Object.freeze(readers), until: until(legacy.until, fail) };
}

function cookieSession(value: unknown, fail: FailOption): CookieSessionReader {
  const path = 'legacy.cookieSession';
  const options = objectAt(value, path, fail, "{ keys: ['old key', …], name?: 'session' }");
  refuseUnknown(options, path, ['keys', 'name', 'path', 'domain', 'partitioned'], fail);
  if (options.partitioned !== undefined && typeof options.partitioned !== 'boolean') {
    fail(`${path}.partitioned`, 'must be true or false: whether the old app set partitioned: true');
  }
  const { keys } = options;
  if (!Array.isArray(keys) || keys.length === 0) {
    fail(
      `${path}.keys`,
      'must be a non-empty array: the old app\'s "keys" (or [its "secret"]), as they were',
    );
  }
  keys.forEach((key: unknown, i: number) => {
    if (typeof key !== 'string' && !Buffer.isBuffer(key)) {
      fail(`${path}.keys[${i}]`, "must be a string or a Buffer: the old app's key, as it was");
    }
  });
  return new CookieSessionReader({
    keys,
    name: cookieName(options.name, path, 'session', fail),
    scope: { ...cookieScope(options, path, fail), partitioned: options.partitioned as boolean },
  });
}

function cookieSessions(value: unknown, fail: FailOption): CookieSessionsReader {
  const path = 'legacy.cookieSessions';
  const options = objectAt(value, path, fail, "{ secret: 'old secret', name?: '_node', timeout? }");
  refuseUnknown(options, path, ['secret', 'name', 'timeout', 'path', 'domain'], fail);
  const { secret, timeout } = options;
  if (typeof secret !== 'string' && !Buffer.isBuffer(secret)) {
    fail(`${path}.secret`, 'must be a string or a Buffer: the old app\'s "secret", as it was');
  }
  const bytes = Buffer.byteLength(secret);
  if (bytes !== AES_KEY_LENGTH) {
    fail(
      `${path}.secret`,
      `must be exactly ${AES_KEY_LENGTH} bytes (got ${bytes}): cookie-sessions used it as its AES-256 key, so the old app's secret had this size; copy it unchanged`,
    );
  }
  if (timeout !== undefined && (!Number.isSafeInteger(timeout) || (timeout as number) <= 0)) {
    fail(
      `${path}.timeout`,
      'must be a positive whole number of milliseconds: the old app\'s "timeout" (default 86400000, 24 hours)',
    );
  }
  return new CookieSessionsReader({
    secret,
    name: cookieName(options.name, path, '_node', fail),
    timeout: timeout as number | undefined,
    scope: cookieScope(options, path, fail),
  });
}

/**
 * The old cookie's `path` and `domain` the old app set (checked as cookie attributes); the
 * readers default the path to '/'.
 */
function cookieScope(
  options: Record<string, unknown>,
  option: string,
  fail: FailOption,
): Partial<LegacyCookieScope> {
  const scope: { path?: string; domain?: string } = {};
  for (const key of ['path', 'domain'] as const) {
    const value = options[key];
    if (value === undefined) continue;
    let valid =
      typeof value === 'string' && (key === 'path' ? value.startsWith('/') : value !== '');
    if (valid) {
      try {
        serialize('x', '', { [key]: value });
      } catch {
        valid = false;
      }
    }
    if (!valid) {
      fail(
        `${option}.${key}`,
        key === 'path'
          ? "must be the old cookie's path as the old app set it, starting with '/' (the default)"
          : "must be the old cookie's domain as the old app set it, e.g. 'example.com', or left out",
      );
    }
    scope[key] = value as string;
  }
  return scope;
}

function cookieName(value: unknown, path: string, fallback: string, fail: FailOption): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !COOKIE_NAME.test(value)) {
    fail(
      `${path}.name`,
      `must be the old cookie's name: letters, digits and !#$%&'*+-.^_\`|~: only (default "${fallback}")`,
    );
  }
  return value;
}

function until(value: unknown, fail: FailOption): number | undefined {
  if (value === undefined) return undefined;
  // isDate, not instanceof: a Date made in another realm (a test runner's VM context) counts.
  if (!types.isDate(value) || Number.isNaN(value.getTime())) {
    fail('legacy.until', "must be a valid Date, e.g. new Date('2027-01-31'), or left out");
  }
  return value.getTime();
}

function objectAt(
  value: unknown,
  path: string,
  fail: FailOption,
  shape: string,
): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    fail(path, `must be an object: ${shape}`);
  }
  return value as Record<string, unknown>;
}

function refuseUnknown(
  options: Record<string, unknown>,
  path: string,
  known: readonly string[],
  fail: FailOption,
): void {
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const hints = HINTS[path];
    const hint =
      hints !== undefined && Object.prototype.hasOwnProperty.call(hints, key)
        ? hints[key]
        : didYouMean(key, known);
    const list = known.map((k) => `"${k}"`).join(', ');
    fail(
      `${path}.${key}`,
      `is not an option of "${path}" (it takes ${list})${hint ? `: ${hint}` : ''}`,
    );
  }
}

/** The known options a mistyped one most likely meant: the closest, at most 2 edits away. */
function didYouMean(key: string, known: readonly string[]): string {
  const distances = known.map((k) => distance(k.toLowerCase(), key.toLowerCase()));
  const best = Math.min(...distances);
  if (best > 2) return '';
  const names = known.filter((_, i) => distances[i] === best).map((k) => `"${k}"`);
  return `did you mean ${names.join(' or ')}?`;
}

/** Levenshtein distance (option names are short). */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
    }
    previous = current;
  }
  return previous[b.length];
}
