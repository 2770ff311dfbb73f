import { randomBytes } from 'node:crypto';
import { MIN_SECRET_LENGTH } from '../../lib/options/option-rules.js';
import { weaknessOf } from '../../lib/options/secret-strength.js';

const SAMPLES = 10_000;

describe('weaknessOf: secrets from a random generator', () => {
  const generators: [string, () => string | Buffer][] = [
    [
      'randomBytes(32) as base64url (the documented generator)',
      () => randomBytes(32).toString('base64url'),
    ],
    ['randomBytes(32) as hex', () => randomBytes(32).toString('hex')],
    ['randomBytes(32) as base64', () => randomBytes(32).toString('base64')],
    ['randomBytes(32) as a Buffer', () => randomBytes(32)],
  ];

  it.each(generators)(`accepts ${SAMPLES} secrets made with %s`, (_, generate) => {
    const refused: string[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const reason = weaknessOf(generate());
      if (reason !== undefined) refused.push(reason);
    }
    expect(refused).toEqual([]);
  });

  const shortest: [string, () => string][] = [
    ['hex', () => randomBytes(MIN_SECRET_LENGTH / 2).toString('hex')],
    ['base64', () => randomBytes((MIN_SECRET_LENGTH * 3) / 4).toString('base64')],
    ['base64url', () => randomBytes((MIN_SECRET_LENGTH * 3) / 4).toString('base64url')],
  ];

  it.each(shortest)(
    `accepts ${SAMPLES} random %s secrets of the shortest length allowed`,
    (_, generate) => {
      const refused: string[] = [];
      for (let i = 0; i < SAMPLES; i++) {
        const secret = generate();
        expect(secret).toHaveLength(MIN_SECRET_LENGTH);
        const reason = weaknessOf(secret);
        if (reason !== undefined) refused.push(reason);
      }
      expect(refused).toEqual([]);
    },
  );

  it.each([
    'correct horse battery staple orbit violin',
    'Tulip-Quarry-Mango-Lantern-Oyster-Velvet',
    'the quick brown fox jumps over the lazy dog',
  ])('accepts a long passphrase of distinct words: %j', (secret) => {
    expect(weaknessOf(secret)).toBeUndefined();
  });
});

describe('weaknessOf: guessable secrets', () => {
  it.each([
    ['a'.repeat(32), 'repeats the same 1-character block 32 times'],
    ['password'.repeat(4), 'repeats the same 8-character block 4 times'],
    ['abc123'.repeat(6), 'repeats the same 6-character block 6 times'],
    ['correct horse '.repeat(3), 'repeats the same 14-character block 3 times'],
    ['PasswordPASSWORDpasswordPaSSword', 'repeats the same 8-character block 4 times'],
    ['keyboard cat '.repeat(3).trim(), 'repeats the same 13-character block 2 times and part'],
  ])('refuses a repeated block: %j', (secret, reason) => {
    expect(weaknessOf(secret)).toContain(reason);
  });

  it.each([
    [
      'hunter2-hunter2-hunter2-hunter2-hunter2!',
      'repeats the same 8-character block 4 times and part of it again, over 39 of its 40 characters',
    ],
    ['x'.repeat(40) + 'hunter2!', 'repeats the same 1-character block 40 times, over 40 of its 48'],
    [
      'a'.repeat(61) + '1234567890',
      'repeats the same 1-character block 61 times, over 61 of its 71',
    ],
    ['#' + 'correct horse '.repeat(3), 'repeats the same 14-character block 3 times, over 42 of'],
    [
      'my-app:' + 'Q7kd'.repeat(8) + ':prod',
      'repeats the same 4-character block 8 times, over 32 of',
    ],
  ])('refuses a repeated block with a short head or tail: %j', (secret, reason) => {
    expect(weaknessOf(secret)).toContain(reason);
  });

  it('refuses a Buffer mostly of one repeated byte', () => {
    const bytes = Buffer.concat([Buffer.alloc(40), randomBytes(8)]);
    expect(weaknessOf(bytes)).toMatch(
      /^repeats the same 1-byte block \d+ times, over \d+ of its 48 bytes$/,
    );
  });

  it('accepts a repeated block when random text makes up most of the secret', () => {
    expect(weaknessOf('abab' + randomBytes(32).toString('base64url'))).toBeUndefined();
    expect(weaknessOf('x'.repeat(12) + randomBytes(24).toString('base64url'))).toBeUndefined();
  });

  it('refuses a Buffer of one repeated pattern, counting bytes', () => {
    expect(weaknessOf(Buffer.alloc(32))).toBe('repeats the same 1-byte block 32 times');
    expect(weaknessOf(Buffer.from('0102030405060708'.repeat(4), 'hex'))).toBe(
      'repeats the same 8-byte block 4 times',
    );
  });

  it.each([
    ['aabbaabbccddaabbccddeeffaabbccdd', 'uses only 6 different characters'],
    ['10110100111010001011101001011101', 'uses only 2 different characters'],
    ['x.x-x_x.xx--x__.x-_x.x-xx_.x-x_..x', 'uses only 4 different characters'],
  ])('refuses a tiny alphabet: %j', (secret, reason) => {
    expect(weaknessOf(secret)).toBe(reason);
  });

  it('refuses a Buffer of few distinct bytes', () => {
    const bytes = Buffer.from(
      'ABCACBBACCABACBCABBCAACBABCBACCA'.split('').map((c) => ({ A: 7, B: 9, C: 200 })[c]!),
    );
    expect(weaknessOf(bytes)).toBe('uses only 3 different bytes');
  });

  it.each([
    'abcdefghijklmnopqrstuvwxyz012345',
    'zyxwvutsrqponmlkjihgfedcba987654',
    'qwertyuiopasdfghjklzxcvbnm123456',
    'my-app-0123456789-abcdefghijklmnop',
  ])('refuses runs of consecutive characters: %j', (secret) => {
    expect(weaknessOf(secret)).toBe('is mostly runs of consecutive characters (like abcd or 4321)');
  });

  it('refuses a Buffer counting up', () => {
    const bytes = Buffer.from(Array.from({ length: 32 }, (_, i) => i));
    expect(weaknessOf(bytes)).toBe('is mostly runs of consecutive bytes (like abcd or 4321)');
  });

  it.each([
    'complex_password_at_least_32_characters_long',
    '  Complex_Password_At_Least_32_Characters_Long ',
    'averylogphrasebiggerthanthirtytwochars',
    'keyboard cat!!!!!!!!!!!!!!!!!!!!!!!!!!!',
    'keyboard cat xxxxxxxxxxxxxxxxxxxxxxxxxx',
    'KEYBOARD-CAT-KEYBOARD-CAT-2024-keyboard-cat',
  ])('refuses an example from the documentation: %j', (secret) => {
    expect(weaknessOf(secret)).toMatch(/is an example from the documentation|repeats/);
  });

  it('refuses a documented example given as a Buffer', () => {
    const bytes = Buffer.from('averylogphrasebiggerthanthirtytwochars');
    expect(weaknessOf(bytes)).toBe('is an example from the documentation');
  });

  it('accepts a documented phrase inside enough random text', () => {
    expect(weaknessOf(`keyboard cat ${randomBytes(24).toString('base64url')}`)).toBeUndefined();
  });

  it.each([
    'SESSION_SECRET_CHANGE_ME_IN_PRODUCTION',
    'my-super-secret-session-key-for-nestjs',
    'thisismysupersecretkeythatnobodyknows',
    'replace-with-a-32-char-random-string!',
    'your-256-bit-secret-goes-here-please',
    'P@ssw0rd!P@ssw0rd!2024-nestjs-app',
  ])('refuses a secret made mostly of placeholder words: %j', (secret) => {
    expect(weaknessOf(secret)).toBe(
      'is mostly words that placeholder secrets use (secret, session, change me…)',
    );
    expect(weaknessOf(Buffer.from(secret))).toBeDefined();
  });

  it('accepts placeholder words beside enough random text', () => {
    expect(weaknessOf(`my-super-secret-${randomBytes(18).toString('base64url')}`)).toBeUndefined();
  });

  it('never quotes the secret in its reason', () => {
    for (const secret of [
      'hunter2hunter2hunter2hunter2hunter2',
      'hunter2-hunter2-hunter2-hunter2-hunter2!',
      'averylogphrasebiggerthanthirtytwochars',
    ]) {
      const reason = weaknessOf(secret)!;
      expect(reason).toBeDefined();
      expect(reason).not.toContain('hunter');
      expect(reason).not.toContain('phrase');
    }
  });
});
