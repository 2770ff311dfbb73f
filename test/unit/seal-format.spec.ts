import { randomBytes } from 'node:crypto';
import {
  HEADER_LENGTH,
  MAX_TIME,
  SEAL_VERSION,
  base64UrlLength,
  decodeBase64UrlStrict,
  readHeader,
  writeHeader,
  type SealTimes,
} from '../../lib/crypto/seal-format.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const T0 = Date.UTC(2030, 0, 1, 12, 0, 0);
const TIMES: SealTimes = {
  createdAt: T0,
  issuedAt: T0 + 1,
  expiresAt: T0 + 2,
  validatedAt: T0 + 3,
  lifetime: 4,
};

describe('base64UrlLength', () => {
  it("matches the length of Node's unpadded base64url for 0 to 100 bytes and around 4096", () => {
    const sizes = [...Array(101).keys(), ...Array.from({ length: 101 }, (_, i) => 3000 + i)];
    for (const bytes of sizes) {
      expect([bytes, base64UrlLength(bytes)]).toEqual([
        bytes,
        Buffer.alloc(bytes).toString('base64url').length,
      ]);
    }
  });
});

describe('decodeBase64UrlStrict', () => {
  it('decodes every canonical string back to the bytes that made it', () => {
    for (let length = 0; length <= 100; length++) {
      const bytes = randomBytes(length);
      expect(decodeBase64UrlStrict(bytes.toString('base64url'))?.equals(bytes)).toBe(true);
    }
  });

  it('refuses every string whose length leaves a remainder of 1 when divided by 4', () => {
    for (const length of [1, 5, 9, 13, 77, 4093]) {
      expect(decodeBase64UrlStrict('A'.repeat(length))).toBeUndefined();
    }
  });

  it.each([
    ['+', 'AA+A'],
    ['/', 'AA/A'],
    ['= padding', 'AA=='],
    ['a single =', 'AAA='],
    ['a space', 'AA A'],
    ['a leading space', ' AAA'],
    ['a trailing newline', 'AAAA\n'],
    ['a dot', 'AA.A'],
    ['a tab', 'AA\tA'],
    ['a non-ASCII letter', 'AAéA'],
    ['an emoji', 'AA😀'],
    ['a NUL', 'AA\0A'],
    ['a percent escape', 'AA%41'],
  ])('refuses a string with %s', (_, value) => {
    expect(decodeBase64UrlStrict(value)).toBeUndefined();
  });

  // Node keeps only the low byte of a UTF-16 unit: U+0141 'Ł' reads as 'A' (0x41), U+012B 'ī'
  // as '+' and U+012F 'į' as '/'. Each would give one seal a second spelling.
  it.each([
    ['Ł (U+0141, read by Node as A)', '\u0141', 'A'],
    ['ī (U+012B, read by Node as +)', '\u012b', '+'],
    ['į (U+012F, read by Node as /)', '\u012f', '/'],
  ])('refuses the look-alike %s where the real character decodes', (_, lookAlike, real) => {
    const genuine = `AAA${real}AAAA`;
    const forged = `AAA${lookAlike}AAAA`;
    if (real !== '+' && real !== '/') expect(decodeBase64UrlStrict(genuine)).toBeDefined();
    expect(decodeBase64UrlStrict(forged)).toBeUndefined();
  });

  it('refuses every spelling of random bytes but the canonical one (unused bits of the last character set)', () => {
    let spellings = 0;
    for (let length = 1; length <= 40; length++) {
      const bytes = randomBytes(length);
      const canonical = bytes.toString('base64url');
      for (const char of ALPHABET) {
        const spelling = canonical.slice(0, -1) + char;
        if (spelling === canonical || !Buffer.from(spelling, 'base64url').equals(bytes)) continue;
        spellings++;
        expect([spelling, decodeBase64UrlStrict(spelling)]).toEqual([spelling, undefined]);
      }
    }
    expect(spellings).toBeGreaterThan(0);
  });

  it('accepts exactly the strings that encode their own bytes (every string of up to 5 characters over a hostile alphabet)', () => {
    // Checked against the definition, over alphabet characters and ones Node's decoder treats
    // specially (skipped, accepted from standard base64, padding, low byte of a UTF-16 unit).
    const chars = [
      'A',
      'Q',
      '_',
      '-',
      '+',
      '/',
      '=',
      '.',
      ' ',
      '\n',
      '\0',
      'é',
      '\u0141',
      '\uD83D',
    ];
    let strings = [''];
    const wrong: string[] = [];
    for (let length = 0; length <= 5; length++) {
      for (const value of strings) {
        const decoded = decodeBase64UrlStrict(value);
        const ascii = /^[\x00-\x7f]*$/.test(value);
        const bytes = Buffer.from(value, 'base64url');
        const canonical = ascii && bytes.toString('base64url') === value;
        if (canonical ? !decoded?.equals(bytes) : decoded) wrong.push(JSON.stringify(value));
      }
      strings = strings.flatMap((prefix) => chars.map((char) => prefix + char));
    }
    expect(wrong).toEqual([]);
  });
});

describe('writeHeader and readHeader', () => {
  it('write the version, the hint and the five times, and read them back', () => {
    const bytes = Buffer.alloc(HEADER_LENGTH);
    const hint = Buffer.from([0xde, 0xad, 0xbe, 0xef]);
    writeHeader(bytes, hint, TIMES);
    expect(bytes[0]).toBe(SEAL_VERSION);
    expect(readHeader(bytes)).toEqual({ hint: 0xdeadbeef, ...TIMES });
  });

  it('keep the largest time a header can hold', () => {
    const bytes = Buffer.alloc(HEADER_LENGTH);
    writeHeader(bytes, Buffer.alloc(4), { ...TIMES, expiresAt: MAX_TIME, lifetime: 0 });
    expect(readHeader(bytes)).toMatchObject({ expiresAt: 2 ** 48 - 1, lifetime: 0 });
  });

  it.each([
    ['NaN', Number.NaN],
    ['negative', -1],
    ['fractional', T0 + 0.5],
    ['beyond 48 bits', 2 ** 48],
    ['Infinity', Number.POSITIVE_INFINITY],
  ])('refuse a %s time, naming the field, instead of storing a wrong one', (_, bad) => {
    for (const field of Object.keys(TIMES) as (keyof SealTimes)[]) {
      const write = () =>
        writeHeader(Buffer.alloc(HEADER_LENGTH), Buffer.alloc(4), { ...TIMES, [field]: bad });
      expect(write).toThrow(RangeError);
      expect(write).toThrow(field);
    }
  });
});
