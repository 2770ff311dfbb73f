import { createRequire } from 'node:module';
import * as fc from 'fast-check';
import { CookieSessionReader } from '../../lib/legacy/cookie-session-reader.js';
import { CookieSessionsReader } from '../../lib/legacy/cookie-sessions-reader.js';
import type { LegacyCookie } from '../../lib/legacy/legacy-cookie.js';
import { asSentByBrowser, writeCookieSessionsValue } from '../legacy/cookie-sessions-format.js';

/**
 * No cookie an attacker can send opens an old session unless it is a valid one: arbitrary strings
 * and mutations of valid cookies go through both readers, which must never throw and must open a
 * mutated cookie only when the mutation left it as it was. FUZZ_SEED fixes fast-check's seed.
 */
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
const RUNS = 2000;
const settings = { numRuns: RUNS, seed: SEED };

const require = createRequire(import.meta.url);
const Keygrip = require('keygrip') as (keys: string[]) => { sign(data: string): string };

const KEYS = ['the current old key', 'the previous old key'];
const SECRET = 'an old cookie-sessions secret 32';
const NOW = Date.UTC(2026, 2, 1, 12);

const cookieSession = new CookieSessionReader({ keys: KEYS });
const cookieSessions = new CookieSessionsReader({ secret: SECRET });

// Characters each format is made of, and a few that cookies and parsers treat specially.
const CHARS = [...'0123456789abcdefABCDEFxyz$+/=-_%.;" \u00e9\u0100'];
const char = fc.oneof(
  fc.constant('%24'),
  fc.constantFrom(...CHARS),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 2 }),
);

/** Session data as JSON would carry it (an object of JSON values). */
const data = fc
  .dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 })
  .map((value) => JSON.parse(JSON.stringify(value)) as Record<string, unknown>);

type Mutation =
  | { kind: 'insert' | 'replace'; at: number; text: string }
  | { kind: 'delete' | 'truncate' | 'case' | 'duplicate'; at: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    kind: fc.constantFrom('insert' as const, 'replace' as const),
    at: fc.nat(),
    text: char,
  }),
  fc.record({
    kind: fc.constantFrom(
      'delete' as const,
      'truncate' as const,
      'case' as const,
      'duplicate' as const,
    ),
    at: fc.nat(),
  }),
);

function mutate(value: string, changes: readonly Mutation[]): string {
  let result = value;
  for (const change of changes) {
    const at = result.length === 0 ? 0 : change.at % (result.length + 1);
    const [before, after] = [result.slice(0, at), result.slice(at)];
    if (change.kind === 'insert') result = before + change.text + after;
    else if (change.kind === 'replace') result = before + change.text + after.slice(1);
    else if (change.kind === 'delete') result = before + after.slice(1);
    else if (change.kind === 'truncate') result = before;
    else if (change.kind === 'case')
      result = before + after.slice(0, 1).toUpperCase() + after.slice(1);
    else result = before + after.slice(0, 1) + after;
  }
  return result;
}

const getter = (cookies: Record<string, string>) => (name: string) =>
  Object.prototype.hasOwnProperty.call(cookies, name) ? cookies[name] : undefined;

/** A valid cookie-session pair for `session`, signed with one of the keys. */
function cookieSessionPair(session: Record<string, unknown>, keyIndex: number) {
  const value = Buffer.from(JSON.stringify(session)).toString('base64');
  return { value, sig: Keygrip([KEYS[keyIndex]]).sign(`session=${value}`) };
}

/**
 * The oracle: a read that opened is allowed only for a cookie left as it was (`unchanged`), and
 * then only with the data it was made from.
 */
function allowed(read: LegacyCookie | undefined, unchanged: boolean, session: object): boolean {
  if (read === undefined) return true;
  return unchanged && JSON.stringify(read.data) === JSON.stringify(session);
}

const cookieSessionCase = fc.record({
  session: data,
  keyIndex: fc.integer({ min: 0, max: 1 }),
  target: fc.constantFrom('value' as const, 'sig' as const, 'both' as const),
  changes: fc.array(mutation, { minLength: 1, maxLength: 4 }),
});

const cookieSessionsCase = fc.record({
  session: data,
  age: fc.integer({ min: 0, max: 3_600_000 }),
  encoded: fc.boolean(),
  changes: fc.array(mutation, { minLength: 1, maxLength: 4 }),
});

/** Runs one mutated cookie-session case; true when the oracle is satisfied. */
function judgeCookieSession(
  input: {
    session: Record<string, unknown>;
    keyIndex: number;
    target: 'value' | 'sig' | 'both';
    changes: readonly Mutation[];
  },
  forceChanged = false,
): boolean {
  const { value, sig } = cookieSessionPair(input.session, input.keyIndex);
  const mutated = {
    value: input.target === 'sig' ? value : mutate(value, input.changes),
    sig: input.target === 'value' ? sig : mutate(sig, input.changes),
  };
  const read = cookieSession.read(getter({ session: mutated.value, 'session.sig': mutated.sig }));
  const unchanged = !forceChanged && mutated.value === value && mutated.sig === sig;
  return allowed(read, unchanged, input.session);
}

/** Runs one mutated cookie-sessions case; true when the oracle is satisfied. */
function judgeCookieSessions(
  input: {
    session: Record<string, unknown>;
    age: number;
    encoded: boolean;
    changes: readonly Mutation[];
  },
  forceChanged = false,
): boolean {
  const value = writeCookieSessionsValue(SECRET, input.session, NOW - input.age);
  const mutated = mutate(input.encoded ? asSentByBrowser(value) : value, input.changes);
  const read = cookieSessions.read(getter({ _node: mutated }), NOW);
  // Hex is read in either case and '$' may come percent-encoded: neither changes the bytes.
  const unchanged = !forceChanged && mutated.replace(/%24/gi, '$').toLowerCase() === value;
  return allowed(read, unchanged, input.session);
}

describe('legacy readers under hostile cookies', () => {
  const anyString = fc.oneof(
    fc.string(),
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.array(char, { maxLength: 120 }).map((chars) => chars.join('')),
    fc
      .tuple(fc.constantFrom('0', 'a', '='), fc.integer({ min: 8000, max: 9000 }))
      .map(([c, n]) => c.repeat(n)),
  );

  it('never opens or throws on arbitrary cookie-session values and signatures', () => {
    fc.assert(
      fc.property(anyString, anyString, (value, sig) => {
        const cookies = getter({ session: value, 'session.sig': sig });
        return cookieSession.read(cookies) === undefined;
      }),
      settings,
    );
  });

  it('never opens or throws on arbitrary cookie-sessions values', () => {
    const hex = (length: number) =>
      fc.array(fc.constantFrom(...'0123456789abcdef'), { minLength: length, maxLength: length });
    const shaped = fc
      .tuple(
        fc.nat({ max: 80 }).chain((n) => hex(2 * n)),
        hex(32),
        hex(32),
      )
      .map((parts) => parts.map((p) => p.join('')).join('$'));
    fc.assert(
      fc.property(fc.oneof(anyString, shaped), (value) => {
        return cookieSessions.read(getter({ _node: value }), NOW) === undefined;
      }),
      settings,
    );
  });

  it('opens a mutated cookie-session cookie only when the mutation changed nothing', () => {
    fc.assert(
      fc.property(cookieSessionCase, (input) => judgeCookieSession(input)),
      settings,
    );
  });

  it('opens a mutated cookie-sessions cookie only when the mutation changed nothing', () => {
    fc.assert(
      fc.property(cookieSessionsCase, (input) => judgeCookieSessions(input)),
      settings,
    );
  });

  it('catches a valid cookie that opens when it is taken for a changed one', () => {
    // The same oracle, fed unmutated valid cookies marked as changed, must report them.
    const none = { changes: [] as Mutation[] };
    const sessionRun = fc.check(
      fc.property(cookieSessionCase, (input) => judgeCookieSession({ ...input, ...none }, true)),
      { numRuns: 50, seed: SEED },
    );
    const sessionsRun = fc.check(
      fc.property(cookieSessionsCase, (input) => judgeCookieSessions({ ...input, ...none }, true)),
      { numRuns: 50, seed: SEED },
    );
    expect(sessionRun.failed).toBe(true);
    expect(sessionsRun.failed).toBe(true);
    // And unmarked, those very cookies satisfy it: they open, with their data.
    const session = { user: { id: 1 } };
    expect(judgeCookieSession({ session, keyIndex: 1, target: 'both', changes: [] })).toBe(true);
    expect(
      cookieSessions.read(getter({ _node: writeCookieSessionsValue(SECRET, session, NOW) }), NOW)
        ?.data,
    ).toEqual(session);
  });
});
