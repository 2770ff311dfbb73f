import { jest } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { CLOCK_SKEW_MS, SessionCodec, toJson } from '../../lib/crypto/session-codec.js';
import { SEAL_OVERHEAD, SEAL_VERSION, TIME_LENGTH } from '../../lib/crypto/seal-format.js';
import { CookieSessionOptionsError } from '../../lib/options/resolve-options.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const SECRET = 'unit-test-secret-0123456789-abcdefghij';
const OTHER_SECRET = 'unit-test-secret-9876543210-zyxwvutsrq';
const NEW_SECRET = 'unit-test-secret-new-key-after-rotation';
const T0 = Date.UTC(2030, 0, 1, 12, 0, 0);
const HOUR = 3_600_000;

const decode = (value: string) => Buffer.from(value, 'base64url');
const encode = (bytes: Buffer) => bytes.toString('base64url');

/** A seal whose base64url length leaves unused bits in its last character. */
function sealWithUnusedBits(codec: SessionCodec): string {
  for (let extra = 0; extra < 3; extra++) {
    const value = codec.seal({ pad: 'x'.repeat(extra) });
    if (value.length % 4 !== 0) return value;
  }
  throw new Error('unreachable: one of three consecutive lengths leaves a remainder');
}

describe('SessionCodec', () => {
  const codec = new SessionCodec({ secret: SECRET });

  afterEach(() => {
    jest.useRealTimers();
  });

  describe('sealing and opening', () => {
    it.each([
      ['an empty object', {}],
      ['flat values', { userId: 42, admin: false, name: 'Ada', ratio: 0.25, none: null }],
      [
        'nested objects and arrays',
        {
          user: { id: 1, roles: ['admin', 'dev'], prefs: { theme: { dark: true } } },
          list: [1, [2, [3]], { x: null }],
        },
      ],
      ['unicode keys and values', { name: 'Zoë 😀 日本語', 键: 'значение', '🔑': '\u2028\u2029' }],
      ['empty strings, zero and negative numbers', { '': '', zero: 0, neg: -1.5e-7 }],
      ['a long string', { blob: 'ab'.repeat(1000) }],
      [
        'characters that need escaping in JSON',
        { text: 'quote " backslash \\ newline \n tab \t nul \u0000' },
      ],
    ])('gives back equal data for %s', (_, data) => {
      const sealed = codec.seal(data);
      expect(codec.open(sealed)).toEqual(data);
    });

    it('gives back the JSON text, the times and the key index with openSeal', () => {
      const data = { a: 1, b: 'two' };
      const sealed = codec.seal(data, T0);
      const opened = codec.openSeal(sealed, T0 + 1000);
      expect(opened).toEqual({
        data,
        json: JSON.stringify(data),
        keyIndex: 0,
        createdAt: T0,
        issuedAt: T0,
        expiresAt: T0 + codec.options.maxAge,
      });
    });

    it('returns a fresh object each time a value is opened', () => {
      const sealed = codec.seal({ a: { b: 1 } });
      const first = codec.open<{ a: { b: number } }>(sealed)!;
      first.a.b = 2;
      expect(codec.open(sealed)).toEqual({ a: { b: 1 } });
    });

    it('produces URL-safe base64 without padding', () => {
      for (let i = 0; i < 50; i++) {
        expect(codec.seal({ i, r: randomBytes(i).toString('hex') })).toMatch(/^[A-Za-z0-9_-]+$/);
      }
    });

    it('produces a seal whose length sealedLength predicts from the JSON size', () => {
      for (const data of [{}, { a: 1 }, { text: 'é'.repeat(33) }, { blob: 'x'.repeat(3000) }]) {
        const bytes = Buffer.byteLength(JSON.stringify(data));
        const sealed = codec.seal(data);
        expect(sealed).toHaveLength(codec.sealedLength(bytes));
        expect(decode(sealed)).toHaveLength(SEAL_OVERHEAD + bytes);
      }
    });

    it('starts every seal with the version byte', () => {
      expect(decode(codec.seal({ a: 1 }))[0]).toBe(SEAL_VERSION);
    });

    it('gives two different seals for the same data (fresh IV each time)', () => {
      const data = { userId: 7 };
      const seals = new Set<string>();
      const ivs = new Set<string>();
      for (let i = 0; i < 2000; i++) {
        const sealed = codec.seal(data, T0);
        seals.add(sealed);
        ivs.add(decode(sealed).subarray(5, 17).toString('hex'));
      }
      expect(seals.size).toBe(2000);
      expect(ivs.size).toBe(2000);
    });

    it('keeps the data unreadable: the sealed bytes contain neither the JSON nor the values', () => {
      const data = { message: 'plaintext-must-not-leak', userId: 123456789 };
      const sealed = codec.seal(data, T0);
      const bytes = decode(sealed);
      expect(bytes.includes(Buffer.from(JSON.stringify(data)))).toBe(false);
      expect(bytes.includes(Buffer.from('plaintext-must-not-leak'))).toBe(false);
      expect(sealed).not.toContain('plaintext');
      expect(Buffer.from(sealed, 'base64').includes(Buffer.from('plaintext'))).toBe(false);
      const time = Buffer.alloc(TIME_LENGTH);
      time.writeUIntBE(T0, 0, TIME_LENGTH);
      expect(bytes.includes(time)).toBe(false);
    });
  });

  describe('tampering', () => {
    const data = { userId: 42, role: 'admin' };

    it('rejects a seal with any character at any position replaced by any other base64url character', () => {
      const sealed = codec.seal(data);
      expect(codec.open(sealed)).toEqual(data);
      const accepted: string[] = [];
      for (let position = 0; position < sealed.length; position++) {
        for (const char of ALPHABET) {
          if (char === sealed[position]) continue;
          const tampered = sealed.slice(0, position) + char + sealed.slice(position + 1);
          if (codec.open(tampered) !== undefined) accepted.push(`${position}:${char}`);
        }
      }
      expect(accepted).toEqual([]);
    });

    it('rejects a seal with any bit flipped in any byte (re-encoded canonically)', () => {
      const sealed = codec.seal(data);
      const bytes = decode(sealed);
      const accepted: string[] = [];
      for (let position = 0; position < bytes.length; position++) {
        for (const mask of [0x01, 0x02, 0x10, 0x80, 0xff]) {
          const tampered = Buffer.from(bytes);
          tampered[position] ^= mask;
          if (codec.open(encode(tampered)) !== undefined) accepted.push(`${position}^${mask}`);
        }
      }
      expect(accepted).toEqual([]);
    });

    it('rejects every truncation of a seal, from either end', () => {
      const sealed = codec.seal(data);
      for (let length = 0; length < sealed.length; length++) {
        expect(codec.open(sealed.slice(0, length))).toBeUndefined();
        expect(codec.open(sealed.slice(sealed.length - length))).toBeUndefined();
      }
    });

    it('rejects a seal with characters appended', () => {
      const sealed = codec.seal(data);
      for (const char of ALPHABET) expect(codec.open(sealed + char)).toBeUndefined();
      for (const extra of [
        'AA',
        'AAA',
        'AAAA',
        'AAAAAAAA',
        randomBytes(16).toString('base64url'),
      ]) {
        expect(codec.open(sealed + extra)).toBeUndefined();
      }
      expect(codec.open(sealed + codec.seal(data))).toBeUndefined();
    });

    it('rejects a seal with characters prepended or a byte removed from the middle', () => {
      const sealed = codec.seal(data);
      expect(codec.open(`A${sealed}`)).toBeUndefined();
      expect(codec.open(`AAAA${sealed}`)).toBeUndefined();
      const bytes = decode(sealed);
      for (let position = 0; position < bytes.length; position++) {
        const shorter = Buffer.concat([bytes.subarray(0, position), bytes.subarray(position + 1)]);
        expect(codec.open(encode(shorter))).toBeUndefined();
      }
    });

    it('rejects every version byte other than the current one, even with the rest intact', () => {
      const bytes = decode(codec.seal(data));
      for (let version = 0; version < 256; version++) {
        if (version === SEAL_VERSION) continue;
        const changed = Buffer.from(bytes);
        changed[0] = version;
        expect([version, codec.open(encode(changed))]).toEqual([version, undefined]);
      }
    });

    it('rejects a non-canonical spelling of a seal (same bytes, different last character)', () => {
      const sealed = sealWithUnusedBits(codec);
      const bytes = decode(sealed);
      let spellings = 0;
      for (const char of ALPHABET) {
        const other = sealed.slice(0, -1) + char;
        if (other === sealed || !decode(other).equals(bytes)) continue;
        spellings++;
        expect(codec.open(other)).toBeUndefined();
      }
      expect(spellings).toBeGreaterThan(0);
      expect(codec.open(sealed)).toBeDefined();
    });

    it('rejects a seal spelled in standard base64 (+ and /) or with = padding', () => {
      let sealed = '';
      for (let i = 0; i < 200 && !/[-_]/.test(sealed); i++) sealed = codec.seal(data);
      expect(sealed).toMatch(/[-_]/);
      expect(codec.open(sealed.replace(/-/g, '+').replace(/_/g, '/'))).toBeUndefined();
      const padded = sealWithUnusedBits(codec);
      expect(codec.open(padded)).toBeDefined();
      expect(codec.open(`${padded}=`)).toBeUndefined();
      expect(codec.open(`${padded}==`)).toBeUndefined();
    });

    it('rejects a seal with whitespace, dots or other characters inserted', () => {
      const sealed = codec.seal(data);
      const middle = sealed.length >> 1;
      for (const inserted of [' ', '\t', '\n', '.', '%', 'é', '😀', '\0']) {
        expect(
          codec.open(sealed.slice(0, middle) + inserted + sealed.slice(middle)),
        ).toBeUndefined();
        expect(codec.open(inserted + sealed)).toBeUndefined();
        expect(codec.open(sealed + inserted)).toBeUndefined();
      }
    });
  });

  describe('keys and names', () => {
    it('rejects a seal made with another secret', () => {
      const sealed = new SessionCodec({ secret: OTHER_SECRET }).seal({ a: 1 });
      expect(new SessionCodec({ secret: OTHER_SECRET }).open(sealed)).toEqual({ a: 1 });
      expect(codec.open(sealed)).toBeUndefined();
    });

    it('rejects a seal made under another key whose hint was copied in', () => {
      const mine = decode(codec.seal({ a: 1 }));
      const theirs = decode(new SessionCodec({ secret: OTHER_SECRET }).seal({ a: 1 }));
      mine.copy(theirs, 1, 1, 5);
      expect(codec.open(encode(theirs))).toBeUndefined();
    });

    it('opens a seal made with the old key when the ring is [new, old], reporting key index 1', () => {
      const old = new SessionCodec({ secret: OTHER_SECRET });
      const ring = new SessionCodec({ keys: [NEW_SECRET, OTHER_SECRET] });
      const opened = ring.openSeal(old.seal({ userId: 3 }));
      expect(opened?.data).toEqual({ userId: 3 });
      expect(opened?.keyIndex).toBe(1);
    });

    it('opens a seal made with keys[1] of another ring', () => {
      const ring = new SessionCodec({ keys: [NEW_SECRET, OTHER_SECRET] });
      const oldRing = new SessionCodec({ keys: [OTHER_SECRET, SECRET] });
      expect(ring.openSeal(oldRing.seal({ v: 1 }))?.keyIndex).toBe(1);
    });

    it('seals with keys[0], so a codec holding only the new key opens it (key index 0)', () => {
      const ring = new SessionCodec({ keys: [NEW_SECRET, OTHER_SECRET] });
      const sealed = ring.seal({ userId: 3 });
      expect(ring.openSeal(sealed)?.keyIndex).toBe(0);
      expect(new SessionCodec({ secret: NEW_SECRET }).openSeal(sealed)?.keyIndex).toBe(0);
      expect(new SessionCodec({ secret: OTHER_SECRET }).open(sealed)).toBeUndefined();
    });

    it('rejects a seal made with a key the ring no longer holds', () => {
      const sealed = new SessionCodec({ secret: OTHER_SECRET }).seal({ userId: 3 });
      expect(new SessionCodec({ keys: [NEW_SECRET, SECRET] }).open(sealed)).toBeUndefined();
      expect(new SessionCodec({ keys: [NEW_SECRET] }).open(sealed)).toBeUndefined();
    });

    it('opens the same seal whether the secret was given as a string or as a Buffer', () => {
      const sealed = codec.seal({ a: 1 });
      expect(new SessionCodec({ secret: Buffer.from(SECRET) }).open(sealed)).toEqual({ a: 1 });
    });

    it('rejects a seal moved to another cookie name, with the same secret', () => {
      const a = new SessionCodec({ secret: SECRET, name: 'a' });
      const b = new SessionCodec({ secret: SECRET, name: 'b' });
      const sealed = a.seal({ userId: 1 });
      expect(a.open(sealed)).toEqual({ userId: 1 });
      expect(b.open(sealed)).toBeUndefined();
      expect(codec.open(sealed)).toBeUndefined();
    });

    it('rejects a seal moved between names that differ only in a suffix or in case', () => {
      const sealed = new SessionCodec({ secret: SECRET, name: 'sid' }).seal({ a: 1 });
      for (const name of ['sid.1', 'Sid', 'sidx', 's']) {
        expect(new SessionCodec({ secret: SECRET, name }).open(sealed)).toBeUndefined();
      }
    });
  });

  describe('expiry', () => {
    const short = new SessionCodec({ secret: SECRET, maxAge: 10_000 });

    it('opens a seal until one millisecond before it expires and rejects it from then on', () => {
      const sealed = short.seal({ a: 1 }, T0);
      expect(short.openSeal(sealed, T0)?.data).toEqual({ a: 1 });
      expect(short.openSeal(sealed, T0 + 9_999)?.data).toEqual({ a: 1 });
      expect(short.openSeal(sealed, T0 + 10_000)).toBeUndefined();
      expect(short.openSeal(sealed, T0 + 10_001)).toBeUndefined();
      expect(short.openSeal(sealed, T0 + 365 * 24 * HOUR)).toBeUndefined();
    });

    it('uses the clock for open() and seal() (fake timers)', () => {
      jest.useFakeTimers({ now: T0 });
      const sealed = short.seal({ a: 1 });
      expect(short.openSeal(sealed)?.createdAt).toBe(T0);
      jest.setSystemTime(T0 + 9_999);
      expect(short.open(sealed)).toEqual({ a: 1 });
      jest.setSystemTime(T0 + 10_000);
      expect(short.open(sealed)).toBeUndefined();
    });

    it('rejects a seal whose expiry time says so, whatever maxAge the codec has now', () => {
      const sealed = short.sealJson('{"a":1}', { createdAt: T0, issuedAt: T0, expiresAt: T0 + 5 });
      expect(codec.openSeal(sealed, T0 + 4)).toBeDefined();
      const longLived = new SessionCodec({ secret: SECRET, maxAge: 10_000 * HOUR });
      expect(longLived.openSeal(sealed, T0 + 5)).toBeUndefined();
    });

    it('seals until the fixed expires date when one is configured', () => {
      jest.useFakeTimers({ now: T0 });
      const expires = new Date(T0 + 2 * HOUR);
      const fixed = new SessionCodec({ secret: SECRET, expires });
      const opened = fixed.openSeal(fixed.seal({ a: 1 }, T0 + HOUR), T0 + HOUR);
      expect(opened?.expiresAt).toBe(expires.getTime());
      expect(fixed.openSeal(fixed.seal({ a: 1 }, T0 + HOUR), expires.getTime())).toBeUndefined();
    });

    it('rejects a session once absoluteTimeout has passed since its creation, however recently it was renewed', () => {
      const capped = new SessionCodec({ secret: SECRET, maxAge: HOUR, absoluteTimeout: 5_000 });
      const renewed = capped.sealJson('{"a":1}', {
        createdAt: T0,
        issuedAt: T0 + 4_000,
        expiresAt: T0 + 4_000 + HOUR,
      });
      expect(capped.openSeal(renewed, T0 + 4_999)?.data).toEqual({ a: 1 });
      expect(capped.openSeal(renewed, T0 + 5_000)).toBeUndefined();
      // The same seal opens without the cap: only absoluteTimeout rejected it.
      expect(new SessionCodec({ secret: SECRET }).openSeal(renewed, T0 + 5_000)).toBeDefined();
    });

    it('reads absoluteTimeout from the codec, so shortening it ends sessions already issued', () => {
      const sealed = codec.sealJson('{}', { createdAt: T0, issuedAt: T0, expiresAt: T0 + HOUR });
      const shorter = new SessionCodec({ secret: SECRET, absoluteTimeout: 1_000 });
      expect(codec.openSeal(sealed, T0 + 2_000)).toBeDefined();
      expect(shorter.openSeal(sealed, T0 + 2_000)).toBeUndefined();
    });

    it(`accepts a seal issued up to CLOCK_SKEW_MS in the future and rejects one issued later`, () => {
      expect(CLOCK_SKEW_MS).toBeGreaterThan(0);
      const at = (issuedAt: number) =>
        codec.sealJson('{"a":1}', { createdAt: issuedAt, issuedAt, expiresAt: issuedAt + HOUR });
      expect(codec.openSeal(at(T0 + CLOCK_SKEW_MS), T0)?.data).toEqual({ a: 1 });
      expect(codec.openSeal(at(T0 + CLOCK_SKEW_MS - 1), T0)).toBeDefined();
      expect(codec.openSeal(at(T0 + CLOCK_SKEW_MS + 1), T0)).toBeUndefined();
      expect(codec.openSeal(at(T0 + 24 * HOUR), T0)).toBeUndefined();
    });

    it('rejects a seal whose creation time is after its issue time', () => {
      const seal = (createdAt: number) =>
        codec.sealJson('{"a":1}', { createdAt, issuedAt: T0, expiresAt: T0 + HOUR });
      expect(codec.openSeal(seal(T0), T0)).toBeDefined();
      expect(codec.openSeal(seal(T0 - HOUR), T0)).toBeDefined();
      expect(codec.openSeal(seal(T0 + 1), T0)).toBeUndefined();
    });

    it.each([
      ['NaN', Number.NaN],
      ['negative', -1],
      ['fractional', T0 + 0.5],
      ['beyond 48 bits', 2 ** 48],
      ['Infinity', Number.POSITIVE_INFINITY],
    ])('refuses to seal with a %s time instead of storing a wrong one', (_, bad) => {
      const good = { createdAt: T0, issuedAt: T0, expiresAt: T0 + HOUR };
      for (const field of ['createdAt', 'issuedAt', 'expiresAt'] as const) {
        expect(() => codec.sealJson('{}', { ...good, [field]: bad })).toThrow(RangeError);
        expect(() => codec.sealJson('{}', { ...good, [field]: bad })).toThrow(field);
      }
    });

    it('seals the largest time that fits in 48 bits', () => {
      const max = 2 ** 48 - 1;
      const sealed = codec.sealJson('{}', { createdAt: T0, issuedAt: T0, expiresAt: max });
      expect(codec.openSeal(sealed, T0)?.expiresAt).toBe(max);
    });
  });

  describe('garbage', () => {
    const opensNothing = (value: unknown) => {
      expect(() => codec.open(value)).not.toThrow();
      expect(codec.open(value)).toBeUndefined();
      expect(codec.openSeal(value)).toBeUndefined();
    };

    it.each([
      ['the empty string', ''],
      ['a number', 42],
      ['NaN', Number.NaN],
      ['a boolean', true],
      ['undefined', undefined],
      ['null', null],
      ['an object', { value: 'x' }],
      ['an array', ['AAAA']],
      ['a symbol', Symbol('seal')],
      ['a bigint', 10n],
      ['a function', () => 'x'],
      ['a 100 KB string of base64url', 'A'.repeat(100_000)],
      ['a 100 KB string of anything', 'é;= +/.'.repeat(15_000)],
      ['padding only', '===='],
      ['a cookie header', 'session=abc; other=def'],
      ['a JSON text', '{"userId":1}'],
      ['unicode', 'séance-😀-セッション'],
      ['spaces', ' '.repeat(100)],
    ])('gives undefined for %s, without throwing', (_, value) => {
      opensNothing(value);
    });

    it('gives undefined for a real seal wrapped in a String object or a Buffer', () => {
      const sealed = codec.seal({ a: 1 });
      opensNothing(new String(sealed));
      opensNothing(Buffer.from(sealed));
    });

    it('gives undefined for random base64url strings of every length from 0 to 300', () => {
      for (let length = 0; length <= 300; length++) {
        const value = randomBytes(length).toString('base64url').slice(0, length);
        opensNothing(value);
        opensNothing(randomBytes(length).toString('base64').slice(0, length));
      }
    });

    it('gives undefined for random bytes that start like a seal of this codec (right version and hint)', () => {
      const header = decode(codec.seal({})).subarray(0, 5);
      for (let length = 0; length <= 200; length += 7) {
        opensNothing(encode(Buffer.concat([header, randomBytes(length)])));
      }
    });

    it('gives undefined for a valid seal longer than maxChunks cookies can carry', () => {
      const big = { blob: 'x'.repeat(5_000) };
      const two = new SessionCodec({ secret: SECRET, maxChunks: 2 });
      const sealed = two.seal(big);
      expect(sealed.length).toBeGreaterThan(4096);
      expect(two.open(sealed)).toEqual(big);
      expect(codec.open(sealed)).toBeUndefined();
    });
  });

  describe('payloads that are not objects', () => {
    const times = { createdAt: T0, issuedAt: T0, expiresAt: T0 + HOUR };

    it('opens a sealed JSON object (the control case)', () => {
      expect(codec.openSeal(codec.sealJson('{"a":[1]}', times), T0)?.data).toEqual({ a: [1] });
    });

    it.each(['[1]', '[]', 'null', '1', '"text"', 'true', '', 'not json', '{"a":', '{} {}'])(
      'gives undefined for a sealed payload %j',
      (json) => {
        const sealed = codec.sealJson(json, times);
        expect(codec.openSeal(sealed, T0)).toBeUndefined();
        expect(() => codec.openSeal(sealed, T0)).not.toThrow();
      },
    );
  });

  describe('seal() input checks', () => {
    it.each([
      ['an array', [1, 2]],
      ['null', null],
      ['undefined', undefined],
      ['a string', 'text'],
      ['a number', 42],
      ['a boolean', true],
      ['a Date (its JSON is a string)', new Date(T0)],
      ['an object whose toJSON gives an array', { toJSON: () => [1] }],
      ['an object whose toJSON gives undefined', { toJSON: () => undefined }],
      ['an object whose toJSON gives a string', { toJSON: () => 'x' }],
    ])('throws a TypeError for %s', (_, data) => {
      expect(() => codec.seal(data as object)).toThrow(TypeError);
    });

    it('throws a TypeError for an object holding a BigInt', () => {
      expect(() => codec.seal({ id: 1n })).toThrow(TypeError);
    });

    it('throws a TypeError for an object with a cycle', () => {
      const cyclic: Record<string, unknown> = {};
      cyclic.self = cyclic;
      expect(() => codec.seal(cyclic)).toThrow(TypeError);
    });

    it('seals an object whose toJSON gives an object, as that object', () => {
      expect(codec.open(codec.seal({ toJSON: () => ({ shown: 1 }) }))).toEqual({ shown: 1 });
    });

    it('drops what JSON drops (functions, undefined) and keeps what it keeps', () => {
      const data = { keep: 1, gone: undefined, fn: () => 1, date: new Date(T0) };
      expect(codec.open(codec.seal(data))).toEqual({ keep: 1, date: new Date(T0).toISOString() });
    });

    it('toJson gives the JSON text of a plain object', () => {
      expect(toJson({ a: [1, { b: 'c' }] })).toBe('{"a":[1,{"b":"c"}]}');
    });
  });

  describe('construction', () => {
    it('validates its options', () => {
      expect(() => new SessionCodec({ secret: 'short' })).toThrow(CookieSessionOptionsError);
      expect(() => new SessionCodec({} as never)).toThrow(CookieSessionOptionsError);
    });

    it.each([
      ['null', null],
      ['undefined', undefined],
      ['a string', SECRET],
    ])('fails with a CookieSessionOptionsError, not a crash, for %s options', (_, options) => {
      expect(() => new SessionCodec(options as never)).toThrow(CookieSessionOptionsError);
    });

    it('fills in the defaults', () => {
      expect(codec.options.name).toBe('session');
      expect(codec.options.maxAge).toBe(86_400_000);
      expect(codec.options.keys).toEqual([SECRET]);
    });

    it('accepts options that were already resolved and opens what a codec built from them seals', () => {
      const again = new SessionCodec(codec.options);
      expect(again.options).toBe(codec.options);
      expect(again.open(codec.seal({ a: 1 }))).toEqual({ a: 1 });
    });

    it('checks again a spread copy of resolved options rather than trusting it', () => {
      const copy = { ...codec.options, name: 'bad name;' };
      expect(() => new SessionCodec(copy)).toThrow(CookieSessionOptionsError);
      const renamed = new SessionCodec({ ...codec.options, name: 'renamed' });
      expect(renamed.options.name).toBe('renamed');
      expect(renamed.open(renamed.seal({ a: 1 }))).toEqual({ a: 1 });
    });
  });
});
