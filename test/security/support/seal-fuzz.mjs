/**
 * The seal fuzzer shared by the jest suites (test/security/*.spec.ts, which hand it lib/'s
 * SessionCodec) and `scripts/fuzz.mjs` (which hands it dist/'s): plain ESM so that Node runs it
 * without a build, typed by seal-fuzz.d.mts.
 *
 * Every input is a *case*: a string some attacker could put in the session cookie, with the family
 * it comes from and, for mutations, the seal it started from and what was done to it (so a failure
 * printed by fast-check says how to rebuild it). A case *opens* if the codec (or the live app)
 * gives back session data; it must never, unless it is, character for character, one of the valid
 * seals of the fixture: those cases are counted as `skipped`, never as attacks.
 */
import { Agent, request as httpRequest } from 'node:http';
import { parse as parseCookies } from 'cookie';
import * as fc from 'fast-check';

/** Secrets of the fuzzed ring (`current` seals, `previous` still opens) and of a stranger. */
export const SECRETS = Object.freeze({
  current: 'fuzz-current-secret-0123456789-abcdefghijkl',
  previous: 'fuzz-previous-secret-0123456789-abcdefghij',
  foreign: 'fuzz-foreign-secret-0123456789-abcdefghijk',
});

export const COOKIE_NAME = 'session';

/** Options of the codec (and of the live apps) under attack: a ring of two keys. */
export function targetOptions(extra = {}) {
  return { keys: [SECRETS.current, SECRETS.previous], name: COOKIE_NAME, ...extra };
}

/**
 * Byte layout of a version-1 seal (lib/crypto/seal-format.ts):
 * version(1) | keyHint(4) | iv(12) | ciphertext (18 bytes of times + JSON) | tag(16).
 */
export const LAYOUT = Object.freeze({
  versionStart: 0,
  hintStart: 1,
  ivStart: 5,
  ivEnd: 17,
  tagLength: 16,
  /** Bytes around the JSON: header, IV, times and tag. */
  overhead: 51,
});
/** Shortest value the codec decodes: a seal of two bytes of JSON (`{}`). */
export const MIN_SEAL_CHARS = Math.ceil(((LAYOUT.overhead + 2) * 4) / 3);
/** The longest value one cookie carries (`maxChunks` × 4096 for the codec). */
export const COOKIE_CHARS = 4096;

export const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

const DAY = 86_400_000;

/** Data of the valid seals: small, nested, unicode, three byte lengths mod 3, and one near 4096. */
const VALID_DATA = [
  {},
  { userId: 42 },
  { userId: 7, roles: ['admin', 'dev'], prefs: { theme: 'dark', lang: 'fr' } },
  { name: 'Zoë 😀 日本語', note: 'quote " backslash \\ newline \n' },
  { pad: '' },
  { pad: 'x' },
  { pad: 'xx' },
  { blob: 'b'.repeat(3000) },
];

const toBytes = (value) => Buffer.from(value, 'base64url');
const toText = (bytes) => Buffer.from(bytes).toString('base64url');

/**
 * The seals a fuzz run starts from.
 * - `valid`: seals the target opens, under both keys of its ring (`current` and `previous`).
 * - `foreign`: real seals it must refuse: other cookie names, another secret, expired, issued in
 *   the future, created after issued, and authentic seals whose JSON is not an object.
 */
export function buildFixture(SessionCodec, now = Date.now()) {
  // valid[2i] holds VALID_DATA[i] sealed under `current`, valid[2i + 1] under `previous`.
  const target = new SessionCodec(targetOptions());
  const previousFirst = new SessionCodec(
    targetOptions({ keys: [SECRETS.previous, SECRETS.current] }),
  );
  const valid = [];
  for (const data of VALID_DATA) valid.push(target.seal(data, now), previousFirst.seal(data, now));

  const times = { createdAt: now, issuedAt: now, expiresAt: now + DAY };
  const sameKeys = (name) => new SessionCodec(targetOptions({ name }));
  const foreign = [
    ['cookie name "other"', sameKeys('other').seal({ userId: 42 }, now)],
    ['cookie name "Session"', sameKeys('Session').seal({ userId: 42 }, now)],
    ['cookie name "session.1"', sameKeys('session.1').seal({ userId: 42 }, now)],
    ['cookie name "sessio"', sameKeys('sessio').seal({ userId: 42 }, now)],
    ['another secret', new SessionCodec({ secret: SECRETS.foreign }).seal({ userId: 42 }, now)],
    ['expired', target.seal({ userId: 42 }, now - 2 * DAY)],
    [
      'issued 10 minutes ahead',
      target.sealJson('{"userId":42}', {
        createdAt: now + 600_000,
        issuedAt: now + 600_000,
        expiresAt: now + DAY,
      }),
    ],
    ['created after issued', target.sealJson('{"userId":42}', { ...times, issuedAt: now - 1000 })],
    ['JSON array', target.sealJson('[1,2]', times)],
    ['JSON null', target.sealJson('null', times)],
    ['JSON string', target.sealJson('"userId"', times)],
    ['invalid JSON', target.sealJson('{"userId":', times)],
    ['empty JSON', target.sealJson('', times)],
  ].map(([label, value]) => ({ label, value }));

  const hintOf = (value) => toBytes(value).readUInt32BE(LAYOUT.hintStart);
  const hints = {
    current: hintOf(valid[0]),
    previous: hintOf(valid[1]),
    foreign: hintOf(foreign[4].value),
  };
  return {
    target,
    valid,
    validSet: new Set(valid),
    foreign,
    all: [...valid, ...foreign.map((f) => f.value)],
    hints,
    ringHints: new Set([hints.current, hints.previous]),
  };
}

// ---------------------------------------------------------------------------------------------
// Mutations: plain data (so a counterexample prints what was done), applied to any string.

/** Characters to splice into values besides the alphabet: base64 and padding, separators, look-alikes. */
const EXTRA_CHARS = ['=', '+', '/', '.', '%', ' ', '\t', '"', ';', ',', '\\', 'é', '\x7f', '\xff'];
/** Only in the codec (a Node HTTP client refuses to send them in a header). */
const CODEC_ONLY_CHARS = ['\0', '\n', '\r', '\u2028', 'Ａ', '－', '😀', '\ud800'];

export const REENCODINGS = [
  'standard base64',
  'standard base64 unpadded',
  'standard alphabet',
  'trailing padding',
  'spare bits set',
  'hex',
  'percent-encoded character',
  'quoted',
  'inner whitespace',
  'upper case',
  'lower case',
  'reversed',
  'doubled',
];

const REGIONS = ['anywhere', 'version', 'hint', 'iv', 'ciphertext', 'tag'];
const SWAP_REGIONS = ['header', 'hint', 'iv', 'ciphertext', 'tag', 'iv and tag'];
/** A position, reduced modulo the length of what it applies to. */
const position = fc.nat({ max: 0xffff });

/** One arbitrary per kind of mutation. */
export function mutationArbitraries({ headerSafe = false } = {}) {
  const chars = headerSafe
    ? [...ALPHABET, ...EXTRA_CHARS]
    : [...ALPHABET, ...EXTRA_CHARS, ...CODEC_ONLY_CHARS];
  return {
    'bit flips': fc.record({
      kind: fc.constant('flip'),
      region: fc.constantFrom(...REGIONS),
      bits: fc.uniqueArray(fc.nat({ max: 0xffff }), { minLength: 1, maxLength: 4 }),
    }),
    'byte insertions': fc.record({
      kind: fc.constant('insert'),
      at: position,
      bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }),
    }),
    'byte deletions': fc.record({
      kind: fc.constant('delete'),
      at: position,
      count: fc.integer({ min: 1, max: 8 }),
    }),
    'byte overwrites': fc.record({
      kind: fc.constant('overwrite'),
      region: fc.constantFrom(...REGIONS),
      at: position,
      bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }),
    }),
    truncations: fc.record({
      kind: fc.constant('truncate'),
      unit: fc.constantFrom('bytes', 'chars'),
      side: fc.constantFrom('end', 'start'),
      keep: position,
    }),
    splices: fc.record({
      kind: fc.constant('splice'),
      unit: fc.constantFrom('bytes', 'chars'),
      other: position,
      cut: position,
      from: position,
    }),
    'region swaps': fc.record({
      kind: fc.constant('swap'),
      region: fc.constantFrom(...SWAP_REGIONS),
      other: position,
    }),
    'key hint swaps': fc.record({
      kind: fc.constant('hint'),
      to: fc.constantFrom('other ring key', 'foreign key', 'random'),
      random: fc.integer({ min: 0, max: 0xffffffff }),
    }),
    versions: fc.record({
      kind: fc.constant('version'),
      version: fc.integer({ min: 0, max: 255 }),
    }),
    're-encodings': fc.record({
      kind: fc.constant('reencode'),
      how: fc.constantFrom(...REENCODINGS),
      at: position,
    }),
    'character edits': fc.record({
      kind: fc.constant('char'),
      op: fc.constantFrom('replace', 'insert', 'delete', 'swap case', 'transpose'),
      at: position,
      char: fc.constantFrom(...chars),
    }),
  };
}

function span(bytes, region) {
  const n = bytes.length;
  const tagStart = Math.max(0, n - LAYOUT.tagLength);
  const [start, end] =
    region === 'version'
      ? [0, 1]
      : region === 'hint'
        ? [LAYOUT.hintStart, LAYOUT.ivStart]
        : region === 'header'
          ? [0, LAYOUT.ivStart]
          : region === 'iv'
            ? [LAYOUT.ivStart, LAYOUT.ivEnd]
            : region === 'ciphertext'
              ? [LAYOUT.ivEnd, tagStart]
              : region === 'tag'
                ? [tagStart, n]
                : [0, n];
  const from = Math.min(start, n);
  const to = Math.min(Math.max(end, from), n);
  return to > from ? [from, to] : [0, n];
}

function replaceSpan(bytes, [from, to], replacement) {
  return Buffer.concat([bytes.subarray(0, from), replacement, bytes.subarray(to)]);
}

function reencode(value, how, at) {
  const i = value.length ? at % value.length : 0;
  switch (how) {
    case 'standard base64':
      return toBytes(value).toString('base64');
    case 'standard base64 unpadded':
      return toBytes(value).toString('base64').replace(/=+$/, '');
    case 'standard alphabet':
      return value.replaceAll('-', '+').replaceAll('_', '/');
    case 'trailing padding':
      return value + '='.repeat((4 - (value.length % 4)) % 4 || 1 + (at % 3));
    case 'spare bits set': {
      const rest = value.length % 4;
      if (rest === 0 || rest === 1) return `${value}A${ALPHABET[1 + (at % 15)]}`;
      const spare = rest === 2 ? 0b1111 : 0b11;
      const last = ALPHABET.indexOf(value[value.length - 1]);
      if (last < 0) return `${value}A${ALPHABET[1 + (at % 15)]}`;
      const bits = 1 + (at % spare);
      return value.slice(0, -1) + ALPHABET[(last & ~spare) | bits];
    }
    case 'hex':
      return toBytes(value).toString('hex');
    case 'percent-encoded character':
      return `${value.slice(0, i)}%${value.charCodeAt(i).toString(16).padStart(2, '0').toUpperCase()}${value.slice(i + 1)}`;
    case 'quoted':
      return `"${value}"`;
    case 'inner whitespace':
      return `${value.slice(0, i)}${at % 2 ? ' ' : '\t'}${value.slice(i)}`;
    case 'upper case':
      return value.toUpperCase();
    case 'lower case':
      return value.toLowerCase();
    case 'reversed':
      return [...value].reverse().join('');
    case 'doubled':
      return value + value;
    default:
      throw new Error(`unknown re-encoding ${how}`);
  }
}

function editChar(value, { op, at, char }) {
  const n = value.length;
  const i = n ? at % n : 0;
  switch (op) {
    case 'replace':
      return n ? value.slice(0, i) + char + value.slice(i + 1) : char;
    case 'insert':
      return value.slice(0, at % (n + 1)) + char + value.slice(at % (n + 1));
    case 'delete':
      return value.slice(0, i) + value.slice(i + 1);
    case 'swap case': {
      const c = value[i] ?? '';
      const swapped = c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase();
      return value.slice(0, i) + swapped + value.slice(i + 1);
    }
    case 'transpose':
      return n < 2
        ? value
        : value.slice(0, i % (n - 1)) +
            value[(i % (n - 1)) + 1] +
            value[i % (n - 1)] +
            value.slice((i % (n - 1)) + 2);
    default:
      throw new Error(`unknown character edit ${op}`);
  }
}

/** Applies one mutation; byte mutations work on the (lenient) base64url decoding of `value`. */
export function applyMutation(value, mutation, fixture) {
  switch (mutation.kind) {
    case 'flip': {
      const bytes = toBytes(value);
      const [from, to] = span(bytes, mutation.region);
      const width = (to - from) * 8;
      if (width === 0) return value;
      // Positions are reduced modulo the region, then deduplicated: flipping a bit twice would
      // give the original back.
      for (const bit of new Set(mutation.bits.map((b) => b % width))) {
        bytes[from + (bit >> 3)] ^= 0x80 >> (bit & 7);
      }
      return toText(bytes);
    }
    case 'insert': {
      const bytes = toBytes(value);
      const at = mutation.at % (bytes.length + 1);
      return toText(replaceSpan(bytes, [at, at], Buffer.from(mutation.bytes)));
    }
    case 'delete': {
      const bytes = toBytes(value);
      if (bytes.length === 0) return value;
      const at = mutation.at % bytes.length;
      return toText(
        replaceSpan(bytes, [at, Math.min(bytes.length, at + mutation.count)], Buffer.alloc(0)),
      );
    }
    case 'overwrite': {
      const bytes = toBytes(value);
      const [from, to] = span(bytes, mutation.region);
      if (to === from) return value;
      const at = from + (mutation.at % (to - from));
      const patch = Buffer.from(mutation.bytes).subarray(0, to - at);
      patch.copy(bytes, at);
      return toText(bytes);
    }
    case 'truncate': {
      if (mutation.unit === 'chars') {
        if (value.length === 0) return value;
        const keep = mutation.keep % value.length;
        return mutation.side === 'end' ? value.slice(0, keep) : value.slice(value.length - keep);
      }
      const bytes = toBytes(value);
      if (bytes.length === 0) return value;
      const keep = mutation.keep % bytes.length;
      return toText(
        mutation.side === 'end' ? bytes.subarray(0, keep) : bytes.subarray(bytes.length - keep),
      );
    }
    case 'splice': {
      const other = fixture.all[mutation.other % fixture.all.length];
      if (mutation.unit === 'chars') {
        return (
          value.slice(0, mutation.cut % (value.length + 1)) +
          other.slice(mutation.from % (other.length + 1))
        );
      }
      const a = toBytes(value);
      const b = toBytes(other);
      return toText(
        Buffer.concat([
          a.subarray(0, mutation.cut % (a.length + 1)),
          b.subarray(mutation.from % (b.length + 1)),
        ]),
      );
    }
    case 'swap': {
      const a = toBytes(value);
      const regions = mutation.region === 'iv and tag' ? ['iv', 'tag'] : [mutation.region];
      const own = regions.map((region) => a.subarray(...span(a, region)));
      // The first seal from `other` on whose region differs (a seal under the same key has the
      // same header: swapping it in would give the original back).
      let b = toBytes(fixture.all[mutation.other % fixture.all.length]);
      for (let k = 0; k < fixture.all.length; k++) {
        b = toBytes(fixture.all[(mutation.other + k) % fixture.all.length]);
        if (regions.some((region, r) => !b.subarray(...span(b, region)).equals(own[r]))) break;
      }
      let result = a;
      for (const region of regions) {
        result = replaceSpan(result, span(result, region), b.subarray(...span(b, region)));
      }
      return toText(result);
    }
    case 'hint': {
      const bytes = toBytes(value);
      if (bytes.length < LAYOUT.ivStart) return value;
      const { hints } = fixture;
      const own = bytes.readUInt32BE(LAYOUT.hintStart);
      const hint =
        mutation.to === 'other ring key'
          ? own === hints.current
            ? hints.previous
            : hints.current
          : mutation.to === 'foreign key'
            ? hints.foreign
            : mutation.random;
      bytes.writeUInt32BE(hint >>> 0, LAYOUT.hintStart);
      return toText(bytes);
    }
    case 'version': {
      const bytes = toBytes(value);
      if (bytes.length === 0) return value;
      bytes[0] = mutation.version;
      return toText(bytes);
    }
    case 'reencode':
      return reencode(value, mutation.how, mutation.at);
    case 'char':
      return editChar(value, mutation);
    default:
      throw new Error(`unknown mutation ${mutation.kind}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Cases: what an attacker sends, by family.

/** Characters a Node HTTP client sends in a header value (tab, printable ASCII, obs-text). */
export const HEADER_SAFE = /^[\t\x20-\x7e\x80-\xff]*$/;
const headerChar = fc
  .oneof(
    fc.integer({ min: 0x20, max: 0x7e }),
    fc.integer({ min: 0x80, max: 0xff }),
    fc.constant(0x09),
  )
  .map((code) => String.fromCharCode(code));

/**
 * One arbitrary of cases per family. With `headerSafe`, every value can be sent in a `Cookie`
 * header (for the live apps).
 */
export function caseArbitraries(fixture, { headerSafe = false } = {}) {
  const mutations = mutationArbitraries({ headerSafe });
  const anyMutation = fc.oneof(...Object.values(mutations));
  const validIndex = fc.nat({ max: fixture.valid.length - 1 });
  const anyIndex = fc.nat({ max: fixture.all.length - 1 });
  const foreignIndex = fc.nat({ max: fixture.foreign.length - 1 });
  const keyHint = fc.constantFrom(fixture.hints.current, fixture.hints.previous);

  const mutated = (family, index, list, baseOf) =>
    fc.record({ index, mutations: list }).map(({ index: i, mutations: steps }) => {
      const { base, value } = baseOf(i);
      let result = value;
      for (const step of steps) result = applyMutation(result, step, fixture);
      return { family, base, mutations: steps, value: result };
    });
  const fromValid = (i) => ({ base: `valid[${i}]`, value: fixture.valid[i] });
  const fromAll = (i) =>
    i < fixture.valid.length
      ? fromValid(i)
      : {
          base: `foreign: ${fixture.foreign[i - fixture.valid.length].label}`,
          value: fixture.all[i],
        };
  const fromForeign = (i) => ({
    base: `foreign: ${fixture.foreign[i].label}`,
    value: fixture.foreign[i].value,
  });
  const plain = (family) => (value) => ({ family, value });

  const families = {
    'arbitrary strings': (headerSafe
      ? fc.string({ unit: headerChar, maxLength: 400, size: 'max' })
      : fc.oneof(
          fc.string({ unit: 'binary', maxLength: 400, size: 'max' }),
          fc.string({ unit: 'grapheme', maxLength: 200, size: 'max' }),
        )
    ).map(plain('arbitrary strings')),
    'base64url strings': fc
      .string({
        unit: fc.constantFrom(...ALPHABET),
        minLength: MIN_SEAL_CHARS - 8,
        maxLength: 600,
        size: 'max',
      })
      .map(plain('base64url strings')),
    'arbitrary bytes': fc
      .uint8Array({ maxLength: 450, size: 'max' })
      .map((bytes) => ({ family: 'arbitrary bytes', value: toText(bytes) })),
    'bytes under a ring key hint': fc
      .record({
        version: fc.oneof({ arbitrary: fc.constant(1), weight: 3 }, fc.constantFrom(0, 2, 255)),
        hint: keyHint,
        body: fc.uint8Array({ minLength: LAYOUT.overhead - 5, maxLength: 450, size: 'max' }),
      })
      .map(({ version, hint, body }) => {
        const header = Buffer.alloc(5);
        header[0] = version;
        header.writeUInt32BE(hint, 1);
        return {
          family: 'bytes under a ring key hint',
          value: toText(Buffer.concat([header, body])),
        };
      }),
    'oversized values': fc
      .record({
        index: anyIndex,
        bit: position,
        length: fc.integer({ min: COOKIE_CHARS + 1, max: 3 * COOKIE_CHARS + 8 }),
      })
      .map(({ index, bit, length }) => {
        // A seal with one tag bit flipped, repeated: too long for one cookie, and holding no
        // valid seal (so the live apps judge it too).
        const flip = { kind: 'flip', region: 'tag', bits: [bit] };
        const copy = applyMutation(fixture.all[index], flip, fixture);
        const value = copy.repeat(Math.ceil(length / copy.length)).slice(0, length);
        return { family: 'oversized values', base: fromAll(index).base, mutations: [flip], value };
      }),
  };
  for (const [family, mutation] of Object.entries(mutations)) {
    families[family] = mutated(family, validIndex, fc.tuple(mutation), fromValid);
  }
  families['stacked mutations'] = mutated(
    'stacked mutations',
    anyIndex,
    fc.array(anyMutation, { minLength: 2, maxLength: 4 }),
    fromAll,
  );
  families['foreign seals'] = mutated(
    'foreign seals',
    foreignIndex,
    fc.array(anyMutation, { maxLength: 2 }),
    fromForeign,
  );
  if (headerSafe) {
    for (const [family, arbitrary] of Object.entries(families)) {
      families[family] = arbitrary.filter((c) => HEADER_SAFE.test(c.value));
    }
  }
  return families;
}

/** Every family in one arbitrary, each as likely as the others. */
export function mixedArbitrary(fixture, options) {
  return fc.oneof(...Object.values(caseArbitraries(fixture, options)));
}

// ---------------------------------------------------------------------------------------------
// Verdicts.

/**
 * How far the codec's cheap checks let `value` go: `length` (outside what it decodes), `encoding`
 * (not the one strict base64url spelling), `header` (too short, wrong version or no key of the
 * ring), `tag` (reached AES-GCM's tag check).
 */
export function stageOf(value, fixture, maxChars = COOKIE_CHARS) {
  if (value.length < MIN_SEAL_CHARS || value.length > maxChars) return 'length';
  const bytes = toBytes(value);
  if (bytes.toString('base64url') !== value) return 'encoding';
  if (bytes.length < LAYOUT.overhead + 2 || bytes[0] !== 1) return 'header';
  return fixture.ringHints.has(bytes.readUInt32BE(LAYOUT.hintStart)) ? 'tag' : 'header';
}

/**
 * Opens `value` with `open` and `openSeal`. `skipped` when it is one of the valid seals (unless
 * `skipValid` is false: the sanity checks use that to see a real seal open).
 */
export function judgeCodec(codec, value, fixture, { skipValid = true } = {}) {
  if (skipValid && fixture.validSet.has(value)) return { outcome: 'skipped', stage: 'valid seal' };
  const stage = stageOf(value, fixture);
  try {
    const data = codec.open(value);
    const opened = codec.openSeal(value);
    if (data !== undefined || opened !== undefined) {
      return {
        outcome: 'opened',
        stage,
        detail: JSON.stringify(data ?? opened?.data).slice(0, 200),
      };
    }
    return { outcome: 'rejected', stage };
  } catch (error) {
    return { outcome: 'crashed', stage, detail: String(error?.stack ?? error).slice(0, 500) };
  }
}

export const FAILURES = new Set(['opened', 'crashed', 'misbehaved']);
export const isFailure = (verdict) => FAILURES.has(verdict.outcome);

// ---------------------------------------------------------------------------------------------
// Live apps.

/** How the fuzzed value reaches the app: alone, among other cookies, or split into chunks. */
export const HEADER_VARIANTS = ['alone', 'after another cookie', 'before another cookie', 'chunks'];

/** The `Cookie` header carrying `value` (with `chunks`, split at `cuts` into `name`, `name.1`, …). */
export function cookieHeaderFor(value, variant, cuts = []) {
  switch (variant) {
    case 'alone':
      return `${COOKIE_NAME}=${value}`;
    case 'after another cookie':
      return `theme=dark; ${COOKIE_NAME}=${value}`;
    case 'before another cookie':
      return `${COOKIE_NAME}=${value}; theme=dark`;
    case 'chunks': {
      const points = [...new Set(cuts.map((c) => c % (value.length + 1)))].sort((a, b) => a - b);
      const parts = [];
      let start = 0;
      for (const point of [...points, value.length]) {
        parts.push(value.slice(start, point));
        start = point;
      }
      return parts
        .map((part, i) => `${i === 0 ? COOKIE_NAME : `${COOKIE_NAME}.${i}`}=${part}`)
        .join('; ');
    }
    default:
      throw new Error(`unknown header variant ${variant}`);
  }
}

/** Live cases: a case, how it is put in the header, and where chunks are cut. */
export function liveCaseArbitrary(fixture, { chunks = false } = {}) {
  return fc.record({
    case: mixedArbitrary(fixture, { headerSafe: true }),
    variant: chunks
      ? fc.constant('chunks')
      : fc.constantFrom(...HEADER_VARIANTS.filter((variant) => variant !== 'chunks')),
    cuts: fc.array(position, { maxLength: 2 }),
  });
}

/** A keep-alive agent for one fuzz run against one app (destroy it when done). */
export function keepAliveAgent() {
  return new Agent({ keepAlive: true, maxSockets: 1 });
}

/** GET /read on 127.0.0.1:`port` with `cookie`: status, body text and Set-Cookie lines. */
export function readThroughApp(port, cookie, agent, path = '/read') {
  return new Promise((resolve) => {
    let req;
    try {
      req = httpRequest(
        { host: '127.0.0.1', port, path, method: 'GET', agent, headers: { cookie } },
        (res) => {
          const chunks = [];
          res.on('data', (chunk) => chunks.push(chunk));
          res.on('end', () =>
            resolve({
              status: res.statusCode,
              body: Buffer.concat(chunks).toString('utf8'),
              setCookie: res.headers['set-cookie'] ?? [],
            }),
          );
          res.on('error', (error) => resolve({ error }));
        },
      );
    } catch (error) {
      resolve({ error: new Error(`the HTTP client refused the header: ${error.message}`) });
      return;
    }
    req.setTimeout(10_000, () => req.destroy(new Error('no answer within 10 s')));
    req.on('error', (error) => resolve({ error }));
    req.end();
  });
}

/**
 * What a response to a bad cookie must be: 200, an empty new session (`data` `{}`, `isNew`), and
 * no Set-Cookie (an empty new session writes none, SPEC 4.3).
 */
export function judgeResponse(response) {
  if (response.error)
    return { outcome: 'crashed', detail: String(response.error.message ?? response.error) };
  if (response.status >= 500)
    return {
      outcome: 'crashed',
      detail: `status ${response.status}: ${response.body.slice(0, 300)}`,
    };
  let body;
  try {
    body = JSON.parse(response.body);
  } catch {
    return {
      outcome: 'misbehaved',
      detail: `status ${response.status}, body not JSON: ${response.body.slice(0, 200)}`,
    };
  }
  if (
    body?.isNew !== true ||
    body.data === null ||
    typeof body.data !== 'object' ||
    Object.keys(body.data).length > 0
  ) {
    return { outcome: 'opened', detail: JSON.stringify(body).slice(0, 300) };
  }
  if (response.status !== 200)
    return { outcome: 'misbehaved', detail: `status ${response.status}` };
  if (response.setCookie.length > 0)
    return {
      outcome: 'misbehaved',
      detail: `Set-Cookie: ${response.setCookie.join(' | ').slice(0, 300)}`,
    };
  return { outcome: 'rejected' };
}

/**
 * The values the app may rightly open for `header`: RFC 6265 parsing (the `cookie` package, as
 * the app uses it: blanks trimmed, `;` separates, the first of a name wins, no decoding), then
 * the session cookie joined with its first 0 … maxChunks-1 chunks `name.1`, `name.2`, … (a stale
 * trailing chunk must not log a user out, so shorter joins are tried too).
 */
export function sessionCandidates(header, maxChunks = 1) {
  const cookies = parseCookies(header, { decode: (value) => value });
  const parts = [];
  for (let i = 0; i < maxChunks; i++) {
    const part = cookies[i === 0 ? COOKIE_NAME : `${COOKIE_NAME}.${i}`];
    if (part === undefined) break;
    parts.push(part);
  }
  return parts.map((_, i) => parts.slice(0, i + 1).join(''));
}

/**
 * Sends a live case to the app on `port` (whose `maxChunks` is given). `skipped` when the header
 * carries a valid seal by the rules above: such a cookie rightly opens.
 */
export async function judgeLive(
  port,
  live,
  fixture,
  agent,
  { skipValid = true, maxChunks = 1 } = {},
) {
  const { value } = live.case;
  const header = cookieHeaderFor(value, live.variant, live.cuts);
  if (skipValid && sessionCandidates(header, maxChunks).some((c) => fixture.validSet.has(c)))
    return { outcome: 'skipped', stage: 'carries a valid seal' };
  const response = await readThroughApp(port, header, agent);
  return { ...judgeResponse(response), stage: stageOf(value, fixture) };
}

// ---------------------------------------------------------------------------------------------
// Counting and reporting.

const OUTCOMES = ['skipped', 'rejected', 'opened', 'crashed', 'misbehaved'];

/** Counts outcomes per family and keeps the first few failures. */
export class Tally {
  constructor(title) {
    this.title = title;
    this.rows = new Map();
    this.failures = [];
  }

  record(family, verdict, input) {
    let row = this.rows.get(family);
    if (!row) {
      row = { tried: 0, tag: 0, ...Object.fromEntries(OUTCOMES.map((o) => [o, 0])) };
      this.rows.set(family, row);
    }
    row.tried++;
    row[verdict.outcome]++;
    if (verdict.stage === 'tag') row.tag++;
    if (isFailure(verdict) && this.failures.length < 10) {
      this.failures.push({ family, outcome: verdict.outcome, detail: verdict.detail, input });
    }
    return verdict;
  }

  get totals() {
    const totals = { tried: 0, tag: 0, ...Object.fromEntries(OUTCOMES.map((o) => [o, 0])) };
    for (const row of this.rows.values())
      for (const key of Object.keys(totals)) totals[key] += row[key];
    return totals;
  }

  /** A table: one line per family, then the totals. */
  summary(extra = '') {
    const n = (x) => x.toLocaleString('en-US');
    const columns = ['tried', 'skipped', 'rejected', 'opened', 'crashed', 'misbehaved', 'tag'];
    const headings = [
      'tried',
      'skipped',
      'rejected',
      'opened',
      'crashed',
      'misbehaved',
      'tag check',
    ];
    const width = Math.max(8, ...[...this.rows.keys()].map((k) => k.length));
    const line = (label, row) =>
      label.padEnd(width) +
      columns.map((c, i) => n(row[c]).padStart(headings[i].length + 2)).join('');
    const t = this.totals;
    return [
      `${this.title}: ${n(t.tried)} tried, ${n(t.opened)} opened, ${n(t.crashed)} crashed` +
        (t.misbehaved ? `, ${n(t.misbehaved)} misbehaved` : '') +
        ` (${n(t.skipped)} skipped as valid seals, ${n(t.tag)} reached the tag check)${extra}`,
      ''.padEnd(width) + headings.map((h) => `  ${h}`).join(''),
      ...[...this.rows]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([family, row]) => line(family, row)),
      line('total', t),
      ...this.failures.map(
        (f) =>
          `  FAILURE ${f.outcome} in ${f.family}: ${f.detail ?? ''} ← ${JSON.stringify(f.input)?.slice(0, 400)}`,
      ),
    ].join('\n');
  }
}

// ---------------------------------------------------------------------------------------------
// Exhaustive edits and IVs.

/** Every single-bit flip of the seal's bytes, re-encoded as base64url: `[bitIndex, value]`. */
export function* everyBitFlip(seal) {
  const bytes = toBytes(seal);
  for (let bit = 0; bit < bytes.length * 8; bit++) {
    bytes[bit >> 3] ^= 0x80 >> (bit & 7);
    yield [bit, toText(bytes)];
    bytes[bit >> 3] ^= 0x80 >> (bit & 7);
  }
}

/** Every character position replaced by every other character of `chars`: `[position, value]`. */
export function* everyCharacterReplacement(
  seal,
  chars = [...ALPHABET, ...EXTRA_CHARS, ...CODEC_ONLY_CHARS],
) {
  for (let i = 0; i < seal.length; i++) {
    for (const char of chars) {
      if (char !== seal[i]) yield [i, seal.slice(0, i) + char + seal.slice(i + 1)];
    }
  }
}

/** Copies the 12-byte IV of `seal` into `target` at slot `index`. */
export function copyIv(seal, target, index) {
  toBytes(seal).copy(target, index * 12, LAYOUT.ivStart, LAYOUT.ivEnd);
}

/**
 * How many of the `count` 12-byte IVs in `ivs` repeat an earlier one. Compact: the first 48 bits
 * of each IV go into a Float64Array that is sorted; only IVs sharing those 48 bits (a handful
 * per million) are compared in full.
 */
export function countRepeatedIvs(ivs, count) {
  const prefixes = new Float64Array(count);
  for (let i = 0; i < count; i++) prefixes[i] = ivs.readUIntBE(i * 12, 6);
  const sorted = prefixes.slice().sort();
  const shared = new Set();
  for (let i = 1; i < count; i++) if (sorted[i] === sorted[i - 1]) shared.add(sorted[i]);
  if (shared.size === 0) return 0;
  const seen = new Set();
  let repeats = 0;
  for (let i = 0; i < count; i++) {
    if (!shared.has(prefixes[i])) continue;
    const hex = ivs.toString('hex', i * 12, i * 12 + 12);
    if (seen.has(hex)) repeats++;
    else seen.add(hex);
  }
  return repeats;
}

/**
 * For each of the 96 bit positions, how many of the `count` IVs have it set: with random IVs each
 * is count/2 give or take a few √count.
 */
export function ivBitCounts(ivs, count) {
  const ones = new Array(96).fill(0);
  for (let i = 0; i < count; i++) {
    for (let byte = 0; byte < 12; byte++) {
      const value = ivs[i * 12 + byte];
      if (value === 0) continue;
      for (let bit = 0; bit < 8; bit++) if (value & (0x80 >> bit)) ones[byte * 8 + bit]++;
    }
  }
  return ones;
}
