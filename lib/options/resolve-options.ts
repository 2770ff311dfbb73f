import { serialize } from 'cookie';
import { chunkIndex } from '../cookie/chunks.js';
import { allowsHostPrefix, cookieRuleViolation } from '../cookie/cookie-rules.js';
import { resolveCrossOriginOption, type CrossOriginPolicy } from '../cookie/cross-origin.js';
import { MAX_TIME } from '../crypto/seal-format.js';
import { resolveLegacyOptions, type ResolvedLegacy } from '../legacy/legacy-options.js';
import type {
  CookieSessionOptions,
  SessionRequestOptions,
  ValidateSession,
} from './cookie-session-options.interface.js';
import { withSecrets } from './options-without-secrets.js';
import { GENERATE, OPTION_RULES, describe, fail, hintFor } from './option-rules.js';

/** Options after validation, every default filled in, the secrets taken out. */
export interface ResolvedOptions extends Readonly<SessionRequestOptions> {
  readonly absoluteTimeout: number | undefined;
  readonly renewAfter: number | undefined;
  readonly validate: ValidateSession | undefined;
  readonly validateInterval: number;
  readonly maxChunks: number;
  readonly legacy: ResolvedLegacy | undefined;
  readonly csrf: CrossOriginPolicy | undefined;
  readonly globalInterceptor: boolean;
}

/** Validated options and, apart, the secrets: the caller derives its keys and drops them. */
export interface CheckedOptions {
  readonly options: ResolvedOptions;
  readonly secrets: readonly (string | Buffer)[];
}

export const DEFAULT_MAX_AGE = 86_400_000;
/**
 * Validates options once, at start-up, and fills in the defaults.
 * @throws CookieSessionOptionsError naming the option and how to fix it.
 */
export function resolveOptions(provided: CookieSessionOptions): CheckedOptions {
  // The options provider holds a copy without the secrets: read them from the original.
  const input = withSecrets(provided);
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    fail(
      'options',
      `must be an object such as { secret: process.env.SESSION_SECRET } (got ${describe(input)})`,
    );
  }
  const given = input as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    if (!Object.hasOwn(OPTION_RULES, key))
      fail(key, `is not an option of nest-cookie-session${hintFor(key)}`);
  }
  // Only `undefined` means "not set": `null` or any other value is checked, and fails unless valid.
  for (const [key, check] of Object.entries(OPTION_RULES)) {
    if (given[key] !== undefined) (check as (value: unknown, key: string) => void)(given[key], key);
  }

  const secrets = secretsOf(input);
  if (input.maxAge !== undefined && input.timeout !== undefined)
    fail('timeout', 'is an alias of "maxAge": set one of them, not both');
  if (input.expires !== undefined && (input.maxAge ?? input.timeout) !== undefined)
    fail(
      'expires',
      'and "maxAge"/"timeout" were both given: a cookie has one expiry, set one of them',
    );
  checkExpires(input.expires);

  const secure = input.secure ?? true;
  const path = input.path ?? '/';
  const domain = input.domain;
  const name =
    input.name ?? (allowsHostPrefix({ secure, path, domain }) ? '__Host-session' : 'session');
  const sameSite = input.sameSite ?? 'lax';
  checkWithCookie(name, path, domain);
  const violation = cookieRuleViolation({
    name,
    secure,
    path,
    domain,
    sameSite,
    partitioned: input.partitioned,
  });
  if (violation) fail(violation.option, violation.problem);

  const legacy = resolveLegacyOptions(input.legacy, fail);
  // Chunk names too: a response writing chunk `name.1` would expire it again as an old cookie.
  const clash = legacy?.readers
    .flatMap((reader) => reader.names)
    .find((legacyName) => chunkIndex(name, legacyName) !== -1);
  if (clash !== undefined) {
    fail(
      'legacy',
      `reads a cookie named "${clash}", a name of the new session cookie ("${name}" and its chunks): give the new cookie another "name", e.g. 'sid' (the default is "__Host-session" only with secure: true, path '/' and no domain)`,
    );
  }
  const secureProxy = input.secureProxy ?? false;
  const options: ResolvedOptions = {
    name,
    maxAge: input.maxAge ?? input.timeout ?? DEFAULT_MAX_AGE,
    absoluteTimeout: input.absoluteTimeout,
    autoRenew: input.autoRenew ?? true,
    renewAfter: input.renewAfter,
    validate: input.validate,
    validateInterval: input.validateInterval ?? 0,
    sessionCookie: input.sessionCookie ?? false,
    // A copy: `setTime()` on the application's Date must not move the expiry past the checks.
    expires: input.expires && new Date(input.expires.getTime()),
    path,
    domain,
    httpOnly: input.httpOnly ?? true,
    secure,
    secureProxy,
    sameSite,
    partitioned: input.partitioned,
    priority: input.priority,
    overwrite: input.overwrite ?? true,
    saveUninitialized: input.saveUninitialized ?? false,
    maxChunks: input.maxChunks ?? 1,
    legacy,
    csrf: resolveCrossOriginOption(input.csrf, secureProxy, fail),
    globalInterceptor: input.globalInterceptor ?? true,
  };
  return { options: Object.freeze(options), secrets };
}

function secretsOf(input: CookieSessionOptions): readonly (string | Buffer)[] {
  const { secret, keys } = input;
  if (secret !== undefined && keys !== undefined)
    fail(
      'secret',
      'and "keys" were both given: use "secret" for one key, or "keys" for a key ring',
    );
  if (keys !== undefined) {
    const seen = new Set(keys.map((key) => Buffer.from(key).toString('hex')));
    if (seen.size !== keys.length)
      fail('keys', 'holds the same secret twice: remove the duplicate');
    return [...keys];
  }
  if (secret === undefined) fail('secret', `is required (or "keys" for a key ring). ${GENERATE}`);
  return [secret];
}

function checkExpires(expires: Date | undefined): void {
  if (expires === undefined) return;
  const time = expires.getTime();
  if (time <= Date.now()) {
    fail(
      'expires',
      `is in the past (${expires.toISOString()}): every session would expire at once. Use a future date, or maxAge`,
    );
  }
  if (time > MAX_TIME)
    fail(
      'expires',
      `must be before ${new Date(MAX_TIME).toISOString()} (the latest a seal can hold)`,
    );
}

/** The `cookie` package refuses what browsers would refuse: let it judge, once, at start-up. */
function checkWithCookie(name: string, path: string, domain: string | undefined): void {
  for (const [option, attempt] of [
    ['name', () => serialize(name, 'x')],
    ['path', () => serialize('x', 'x', { path })],
    ['domain', () => serialize('x', 'x', { domain })],
  ] as const) {
    try {
      attempt();
    } catch (error) {
      const value = option === 'name' ? name : option === 'path' ? path : domain;
      fail(
        option,
        `is not accepted in a cookie: ${(error as Error).message.split(':')[0]} (got ${describe(value)})`,
      );
    }
  }
  if (name.length > 200) fail('name', 'must be at most 200 characters, leaving room for the value');
}
