import { randomBytes } from 'node:crypto';
import {
  HEADER_LENGTH,
  HINT_LENGTH,
  IV_LENGTH,
  SEAL_OVERHEAD,
  TAG_LENGTH,
  TIMES_LENGTH,
  VERSION_LENGTH,
  base64UrlLength,
  decodeBase64UrlStrict,
} from '../../lib/crypto/seal-format.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

describe('seal-format', () => {
  describe('the layout constants', () => {
    it('add up to the overhead a seal puts around the JSON', () => {
      expect(HEADER_LENGTH).toBe(VERSION_LENGTH + HINT_LENGTH);
      expect(SEAL_OVERHEAD).toBe(HEADER_LENGTH + IV_LENGTH + TIMES_LENGTH + TAG_LENGTH);
    });

    it('use a 96-bit IV and a 128-bit tag', () => {
      expect(IV_LENGTH * 8).toBe(96);
      expect(TAG_LENGTH * 8).toBe(128);
    });
  });

  describe('base64UrlLength', () => {
    it("matches the length of Node's unpadded base64url for 0 to 100 bytes", () => {
      for (let bytes = 0; bytes <= 100; bytes++) {
        expect([bytes, base64UrlLength(bytes)]).toEqual([
          bytes,
          Buffer.alloc(bytes).toString('base64url').length,
        ]);
      }
    });

    it('matches for seal-sized inputs around the 4096-byte cookie limit', () => {
      for (let bytes = 3000; bytes <= 3100; bytes++) {
        expect(base64UrlLength(bytes)).toBe(randomBytes(bytes).toString('base64url').length);
      }
    });
  });

  describe('decodeBase64UrlStrict', () => {
    it('decodes every canonical string back to the bytes that made it', () => {
      for (let length = 0; length <= 100; length++) {
        const bytes = randomBytes(length);
        const decoded = decodeBase64UrlStrict(bytes.toString('base64url'));
        expect(decoded).toBeInstanceOf(Buffer);
        expect(decoded!.equals(bytes)).toBe(true);
      }
    });

    it('decodes the empty string to no bytes', () => {
      expect(decodeBase64UrlStrict('')).toEqual(Buffer.alloc(0));
    });

    it('rejects every string whose length leaves a remainder of 1 when divided by 4', () => {
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
    ])('rejects a string with %s', (_, value) => {
      expect(decodeBase64UrlStrict(value)).toBeUndefined();
    });

    it('accepts a final character of a 2-character group only when its 4 unused bits are zero', () => {
      for (let index = 0; index < 64; index++) {
        const value = `A${ALPHABET[index]}`;
        const decoded = decodeBase64UrlStrict(value);
        if ((index & 0b1111) === 0) {
          expect(decoded!.equals(Buffer.from(value, 'base64url'))).toBe(true);
          expect(decoded!.toString('base64url')).toBe(value);
        } else {
          expect([value, decoded]).toEqual([value, undefined]);
        }
      }
    });

    it('accepts a final character of a 3-character group only when its 2 unused bits are zero', () => {
      for (let index = 0; index < 64; index++) {
        const value = `AAAAAA${ALPHABET[index]}`;
        const decoded = decodeBase64UrlStrict(value);
        if ((index & 0b11) === 0) {
          expect(decoded!.toString('base64url')).toBe(value);
        } else {
          expect([value, decoded]).toEqual([value, undefined]);
        }
      }
    });

    it('rejects every non-canonical spelling of random bytes (same bytes, different last character)', () => {
      for (let length = 1; length <= 40; length++) {
        const bytes = randomBytes(length);
        const canonical = bytes.toString('base64url');
        const head = canonical.slice(0, -1);
        for (const char of ALPHABET) {
          const spelling = head + char;
          if (spelling === canonical) continue;
          const sameBytes = Buffer.from(spelling, 'base64url').equals(bytes);
          const decoded = decodeBase64UrlStrict(spelling);
          if (sameBytes) expect([spelling, decoded]).toEqual([spelling, undefined]);
          else if (decoded) expect(decoded.toString('base64url')).toBe(spelling);
        }
      }
    });

    it('accepts exactly the strings that are the base64url encoding of their own bytes (every string of up to 5 characters over a hostile alphabet)', () => {
      // Canonical means: encoding the decoded bytes gives the string back. Checked against that
      // definition over every string built from alphabet characters and ones Node's decoder
      // treats specially (skipped, accepted from standard base64, or stopping at padding).
      const chars = ['A', 'B', 'Q', '_', '-', '+', '/', '=', '.', ' ', '\n', '\0', 'é', '\uD83D'];
      let strings = [''];
      let checked = 0;
      const wrong: string[] = [];
      for (let length = 0; length <= 5; length++) {
        for (const value of strings) {
          const decoded = decodeBase64UrlStrict(value);
          const canonical = Buffer.from(value, 'base64url').toString('base64url') === value;
          if (canonical ? !decoded?.equals(Buffer.from(value, 'base64url')) : decoded) {
            wrong.push(JSON.stringify(value));
          }
          checked++;
        }
        strings = strings.flatMap((prefix) => chars.map((char) => prefix + char));
      }
      expect(wrong).toEqual([]);
      expect(checked).toBe((14 ** 6 - 1) / 13);
    });
  });
});
