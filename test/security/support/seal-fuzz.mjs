/**
 * The seal fuzzer shared by test/security/fuzz.spec.ts (which hands it lib/'s SessionCodec) and
 * scripts/fuzz.mjs (dist/'s): plain ESM so that Node runs it without a build, typed by
 * seal-fuzz.d.mts.
 *
 * It only mutates strings (and the bytes their base64url spells), so it holds for any layout of
 * a seal. A case is a string an attacker could put in the session cookie, with its family and,
 * for mutations, the seal it started from and what was done to it (so a failure printed by
 * fast-check says how to rebuild it). No case may open or make the codec throw, unless it is,
 * character for character, one of the valid seals: those are counted as `skipped`.
 */
import { randomBytes } from 'node:crypto';
import * as fc from 'fast-check';

export const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
/** Besides the alphabet: base64 and padding, separators, control characters, look-alikes. */
const OTHER_CHARS = [
  ...'=+/.% \t";,\\\0\n\r\x7f\xff',
  'é',
  '\u2028',
  'Ａ', // full-width A
  '－', // full-width hyphen
  'А', // Cyrillic A
  '😀',
  '\ud800',
];
export const CHARS = [...ALPHABET, ...OTHER_CHARS];

const DAY = 86_400_000;
/** Session data of the valid seals: JSON of three byte lengths in a row (every length mod 3). */
const VALID_DATA = [{ pad: '' }, { pad: 'x' }, { pad: 'xx' }, { userId: 42, name: 'Zoë 😀' }];

const toBytes = (value) => Buffer.from(value, 'base64url');
const toText = (bytes) => Buffer.from(bytes).toString('base64url');

/** Seals made with `Date.now` reading `at`, whatever else the codec reads the time from. */
function sealAt(codec, data, at) {
  const realNow = Date.now;
  Date.now = () => at;
  try {
    return codec.seal(data);
  } finally {
    Date.now = realNow;
  }
}

/**
 * The seals a run starts from, under fresh random secrets:
 * - `valid`: seals the target opens, under both keys of its ring (`valid[2i]` under the sealing
 *   key, `valid[2i + 1]` under the older one);
 * - `foreign`: real seals it must refuse: other cookie names, another secret, expired, issued
 *   in the future.
 */
export function buildFixture(SessionCodec) {
  const [current, previous, stranger] = [0, 1, 2].map(() => randomBytes(32).toString('base64url'));
  const options = (extra) => ({ keys: [current, previous], name: 'session', ...extra });
  const target = new SessionCodec(options());
  const olderFirst = new SessionCodec(options({ keys: [previous, current] }));
  const valid = VALID_DATA.flatMap((data) => [target.seal(data), olderFirst.seal(data)]);
  const data = { userId: 42 };
  const foreign = [
    ['cookie name "other"', new SessionCodec(options({ name: 'other' })).seal(data)],
    ['cookie name "Session"', new SessionCodec(options({ name: 'Session' })).seal(data)],
    ['cookie name "session.1"', new SessionCodec(options({ name: 'session.1' })).seal(data)],
    ['another secret', new SessionCodec({ secret: stranger, name: 'session' }).seal(data)],
    ['expired', sealAt(target, data, Date.now() - 2 * DAY)],
    ['issued 10 minutes ahead', sealAt(target, data, Date.now() + 600_000)],
  ].map(([label, value]) => ({ label, value }));
  return {
    target,
    valid,
    validSet: new Set(valid),
    foreign,
    all: [...valid, ...foreign.map((f) => f.value)],
  };
}

// ---------------------------------------------------------------------------------------------
// Mutations: plain data (so a counterexample prints what was done), applied to any string.

/** A position, reduced modulo the length of what it applies to. */
const position = fc.nat({ max: 0xffff });

const REENCODINGS = [
  'standard base64',
  'trailing padding',
  'spare bits set',
  'hex',
  'percent-encoded',
  'quoted',
  'inner whitespace',
  'upper case',
  'lower case',
  'doubled',
];

/** One arbitrary per kind of mutation. */
export function mutationArbitraries() {
  return {
    'bit flips': fc.record({
      kind: fc.constant('flip'),
      bits: fc.uniqueArray(position, { minLength: 1, maxLength: 4 }),
    }),
    'byte edits': fc.record({
      kind: fc.constant('bytes'),
      op: fc.constantFrom('insert', 'delete', 'overwrite'),
      at: position,
      bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }),
    }),
    truncations: fc.record({
      kind: fc.constant('truncate'),
      side: fc.constantFrom('end', 'start'),
      keep: position,
    }),
    splices: fc.record({
      kind: fc.constant('splice'),
      other: position,
      cut: position,
      from: position,
    }),
    'character edits': fc.record({
      kind: fc.constant('char'),
      op: fc.constantFrom('replace', 'insert', 'delete', 'swap case'),
      at: position,
      char: fc.constantFrom(...CHARS),
    }),
    're-encodings': fc.record({
      kind: fc.constant('reencode'),
      how: fc.constantFrom(...REENCODINGS),
      at: position,
    }),
  };
}

function reencode(value, how, at) {
  const i = value.length ? at % value.length : 0;
  switch (how) {
    case 'standard base64':
      return toBytes(value).toString('base64');
    case 'trailing padding':
      return value + '='.repeat(1 + (at % 3));
    case 'spare bits set': {
      // The last character of a length ≡ 2 or 3 (mod 4) carries 4 or 2 unused bits.
      const rest = value.length % 4;
      const last = ALPHABET.indexOf(value[value.length - 1]);
      if ((rest !== 2 && rest !== 3) || last < 0) return `${value}A${ALPHABET[1 + (at % 15)]}`;
      const spare = rest === 2 ? 0b1111 : 0b11;
      return value.slice(0, -1) + ALPHABET[(last & ~spare) | (1 + (at % spare))];
    }
    case 'hex':
      return toBytes(value).toString('hex');
    case 'percent-encoded':
      return `${value.slice(0, i)}%${value.charCodeAt(i).toString(16).padStart(2, '0')}${value.slice(i + 1)}`;
    case 'quoted':
      return `"${value}"`;
    case 'inner whitespace':
      return `${value.slice(0, i)}${at % 2 ? ' ' : '\t'}${value.slice(i)}`;
    case 'upper case':
      return value.toUpperCase();
    case 'lower case':
      return value.toLowerCase();
    case 'doubled':
      return value + value;
    default:
      throw new Error(`unknown re-encoding ${how}`);
  }
}

/** Applies one mutation; byte mutations work on the (lenient) base64url decoding of `value`. */
export function applyMutation(value, mutation, fixture) {
  switch (mutation.kind) {
    case 'flip': {
      const bytes = toBytes(value);
      const width = bytes.length * 8;
      if (width === 0) return value;
      // Deduplicated after reduction: flipping a bit twice would give the original back.
      for (const bit of new Set(mutation.bits.map((b) => b % width))) {
        bytes[bit >> 3] ^= 0x80 >> (bit & 7);
      }
      return toText(bytes);
    }
    case 'bytes': {
      const bytes = toBytes(value);
      const at = mutation.at % (bytes.length + 1);
      const patch = Buffer.from(mutation.bytes);
      const end = mutation.op === 'insert' ? at : Math.min(bytes.length, at + patch.length);
      const middle = mutation.op === 'delete' ? Buffer.alloc(0) : patch;
      return toText(Buffer.concat([bytes.subarray(0, at), middle, bytes.subarray(end)]));
    }
    case 'truncate': {
      const keep = value.length ? mutation.keep % value.length : 0;
      return mutation.side === 'end' ? value.slice(0, keep) : value.slice(value.length - keep);
    }
    case 'splice': {
      const other = fixture.all[mutation.other % fixture.all.length];
      return (
        value.slice(0, mutation.cut % (value.length + 1)) +
        other.slice(mutation.from % (other.length + 1))
      );
    }
    case 'char': {
      const { op, at, char } = mutation;
      const i = value.length ? at % value.length : 0;
      if (op === 'insert') return value.slice(0, i) + char + value.slice(i);
      if (op === 'delete') return value.slice(0, i) + value.slice(i + 1);
      if (op === 'replace') {
        // The same character again would give the value back: take the next one.
        const other = char === value[i] ? CHARS[(CHARS.indexOf(char) + 1) % CHARS.length] : char;
        return value.slice(0, i) + other + value.slice(i + 1);
      }
      // The first character from `i` on that has a case (digits and `-` have none).
      const j = [...value.slice(i), ...value.slice(0, i)].findIndex(
        (c) => c.toUpperCase() !== c.toLowerCase(),
      );
      if (j < 0) return value + char;
      const k = (i + j) % value.length;
      const c = value[k];
      const swapped = c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase();
      return value.slice(0, k) + swapped + value.slice(k + 1);
    }
    case 'reencode':
      return reencode(value, mutation.how, mutation.at);
    default:
      throw new Error(`unknown mutation ${mutation.kind}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Cases: what an attacker sends, by family.

/** One arbitrary of cases per family. */
export function caseArbitraries(fixture) {
  const mutations = mutationArbitraries();
  const mutated = (family, bases, steps) =>
    fc.record({ index: fc.nat({ max: bases.length - 1 }), steps }).map(({ index, steps: list }) => {
      const { label, value } = bases[index];
      let result = value;
      for (const step of list) result = applyMutation(result, step, fixture);
      return { family, base: label, mutations: list, value: result };
    });
  const valid = fixture.valid.map((value, i) => ({ label: `valid[${i}]`, value }));
  const foreign = fixture.foreign.map(({ label, value }) => ({
    label: `foreign: ${label}`,
    value,
  }));
  const families = {
    'arbitrary strings': fc
      .oneof(
        fc.string({ unit: 'binary', maxLength: 400, size: 'max' }),
        fc.string({ unit: fc.constantFrom(...CHARS), maxLength: 400, size: 'max' }),
      )
      .map((value) => ({ family: 'arbitrary strings', value })),
    'base64url strings': fc
      .string({ unit: fc.constantFrom(...ALPHABET), maxLength: 600, size: 'max' })
      .map((value) => ({ family: 'base64url strings', value })),
  };
  for (const [family, mutation] of Object.entries(mutations)) {
    families[family] = mutated(family, valid, fc.tuple(mutation));
  }
  const anyMutation = fc.oneof(...Object.values(mutations));
  families['stacked mutations'] = mutated(
    'stacked mutations',
    [...valid, ...foreign],
    fc.array(anyMutation, { minLength: 2, maxLength: 4 }),
  );
  families['foreign seals'] = mutated(
    'foreign seals',
    foreign,
    fc.array(anyMutation, { maxLength: 2 }),
  );
  return families;
}

/** Every family in one arbitrary, each as likely as the others. */
export function mixedArbitrary(fixture) {
  return fc.oneof(...Object.values(caseArbitraries(fixture)));
}

// ---------------------------------------------------------------------------------------------
// Verdicts and counts.

/**
 * Opens `value` with the codec: `rejected`, `opened` (data came back) or `crashed` (it threw).
 * `skipped` when `value` is one of the valid seals, unless `skipValid` is false (the self-checks
 * use that to see a real seal open).
 */
export function judgeCodec(codec, value, fixture, { skipValid = true } = {}) {
  if (skipValid && fixture.validSet.has(value)) return { outcome: 'skipped' };
  try {
    const data = codec.open(value);
    if (data === undefined) return { outcome: 'rejected' };
    return { outcome: 'opened', detail: JSON.stringify(data).slice(0, 200) };
  } catch (error) {
    return { outcome: 'crashed', detail: String(error?.stack ?? error).slice(0, 500) };
  }
}

export const isFailure = (verdict) => verdict.outcome === 'opened' || verdict.outcome === 'crashed';

/** Counts outcomes per family and keeps the first few failures. */
export class Tally {
  constructor() {
    this.rows = new Map();
    this.failures = [];
  }

  record(family, verdict, input) {
    let row = this.rows.get(family);
    if (!row)
      this.rows.set(family, (row = { tried: 0, skipped: 0, rejected: 0, opened: 0, crashed: 0 }));
    row.tried++;
    row[verdict.outcome]++;
    if (isFailure(verdict) && this.failures.length < 10) {
      this.failures.push({ family, ...verdict, input });
    }
    return verdict;
  }

  get totals() {
    const totals = { tried: 0, skipped: 0, rejected: 0, opened: 0, crashed: 0 };
    for (const row of this.rows.values())
      for (const key of Object.keys(totals)) totals[key] += row[key];
    return totals;
  }
}

/** Every single-bit flip of the seal's bytes, re-encoded as base64url: `[bitIndex, value]`. */
export function* everyBitFlip(seal) {
  const bytes = toBytes(seal);
  for (let bit = 0; bit < bytes.length * 8; bit++) {
    bytes[bit >> 3] ^= 0x80 >> (bit & 7);
    yield [bit, toText(bytes)];
    bytes[bit >> 3] ^= 0x80 >> (bit & 7);
  }
}

/** Every character of the seal replaced by every other one of CHARS: `[position, value]`. */
export function* everyCharacterReplacement(seal) {
  for (let i = 0; i < seal.length; i++) {
    for (const char of CHARS)
      if (char !== seal[i]) yield [i, seal.slice(0, i) + char + seal.slice(i + 1)];
  }
}
