import { SessionCodec } from '../../lib/index.js';
import { HEADER_LENGTH, IV_LENGTH, SEAL_OVERHEAD } from '../../lib/crypto/seal-format.js';
import {
  LAYOUT,
  buildFixture,
  copyIv,
  countRepeatedIvs,
  everyBitFlip,
  everyCharacterReplacement,
  ivBitCounts,
  judgeCodec,
  targetOptions,
} from './support/seal-fuzz.mjs';

/**
 * Issue 5, items 2 and 3: every single-bit change of a real seal is refused, and no two seals
 * share an IV. `npm run fuzz` (scripts/fuzz.mjs) runs the 1 000 000-seal IV check and flips every
 * bit of the longest seal as well; here 200 000 seals keep the suite within seconds.
 */
const IV_SEALS = 200_000;
const SAME_DATA_SEALS = 10_000;

const fixture = buildFixture(SessionCodec);
const n = (x: number) => x.toLocaleString('en-US');

it('reads the byte layout of lib/crypto/seal-format.ts', () => {
  expect(LAYOUT.ivStart).toBe(HEADER_LENGTH);
  expect(LAYOUT.ivEnd - LAYOUT.ivStart).toBe(IV_LENGTH);
  expect(LAYOUT.overhead).toBe(SEAL_OVERHEAD);
});

describe('exhaustive single-bit flips and character replacements', () => {
  // Byte lengths 61, 62 and 63 (every remainder mod 3, so 0, 4 and 2 spare bits in the last
  // character), under the sealing key and the older key of the ring.
  const seals = [
    ['{"pad":""}, current key', fixture.valid[8]],
    ['{"pad":"x"}, current key', fixture.valid[10]],
    ['{"pad":"xx"}, current key', fixture.valid[12]],
    ['{"pad":"xx"}, previous key', fixture.valid[13]],
    ['nested data, previous key', fixture.valid[5]],
  ] as const;
  const report: string[] = [];
  afterAll(() => console.log(report.join('\n')));

  it('starts from seals that open, of every length mod 3, under both keys', () => {
    const opened = seals.map(([, seal]) => fixture.target.openSeal(seal));
    expect(opened.every(Boolean)).toBe(true);
    expect(new Set(opened.map((o) => o!.keyIndex))).toEqual(new Set([0, 1]));
    const lengths = seals.map(([, seal]) => Buffer.from(seal, 'base64url').length % 3);
    expect(new Set(lengths)).toEqual(new Set([0, 1, 2]));
  });

  it.each(seals)('refuses every single-bit flip of a seal of %s', (label, seal) => {
    const bytes = Buffer.from(seal, 'base64url').length;
    const stages: Record<string, number> = {};
    let flips = 0;
    const failures: string[] = [];
    for (const [bit, flipped] of everyBitFlip(seal)) {
      flips++;
      const verdict = judgeCodec(fixture.target, flipped, fixture);
      stages[verdict.stage!] = (stages[verdict.stage!] ?? 0) + 1;
      if (verdict.outcome !== 'rejected') failures.push(`bit ${bit}: ${verdict.outcome}`);
    }
    report.push(
      `bit flips, ${label}: ${n(flips)} of ${n(bytes)} bytes × 8 refused ` +
        `(${n(stages.header ?? 0)} by the header check, ${n(stages.tag ?? 0)} by the GCM tag)`,
    );
    expect(failures).toEqual([]);
    expect(flips).toBe(bytes * 8);
    // The 40 bits of version and key hint fail the cheap header check; every other bit (IV,
    // ciphertext, tag) reaches AES-GCM and is refused by the tag alone.
    expect(stages).toEqual({ header: 40, tag: (bytes - HEADER_LENGTH) * 8 });
  });

  it.each(seals)('refuses every character of a seal of %s replaced by any other', (label, seal) => {
    let replacements = 0;
    const failures: string[] = [];
    for (const [position, replaced] of everyCharacterReplacement(seal)) {
      replacements++;
      const verdict = judgeCodec(fixture.target, replaced, fixture);
      if (verdict.outcome !== 'rejected')
        failures.push(`position ${position}: ${verdict.outcome} ${replaced}`);
    }
    report.push(
      `character replacements, ${label}: ${n(replacements)} (${seal.length} positions) refused`,
    );
    expect(failures).toEqual([]);
    // 64 base64url characters, 14 others and 8 the HTTP layer would not carry, minus the one
    // already there.
    expect(replacements).toBe(seal.length * 85);
  });
});

describe('IVs', () => {
  it(`are never repeated over ${n(IV_SEALS)} seals (two codecs of the same key, alternating)`, () => {
    const started = Date.now();
    const codecs = [new SessionCodec(targetOptions()), new SessionCodec(targetOptions())];
    const ivs = Buffer.alloc(IV_SEALS * 12);
    for (let i = 0; i < IV_SEALS; i++) copyIv(codecs[i & 1].seal({}), ivs, i);
    const repeats = countRepeatedIvs(ivs, IV_SEALS);
    // Each of the 96 bit positions is set in about half of the IVs: σ = √N / 2, allow 6σ.
    const ones = ivBitCounts(ivs, IV_SEALS);
    const sigma = Math.sqrt(IV_SEALS) / 2;
    const worst = Math.max(...ones.map((count) => Math.abs(count - IV_SEALS / 2))) / sigma;
    console.log(
      `IV uniqueness: ${n(IV_SEALS)} seals, ${n(IV_SEALS - repeats)} distinct IVs, ${repeats} repeated; ` +
        `bits set per position within ${worst.toFixed(1)}σ of half; ${Date.now() - started} ms`,
    );
    expect(repeats).toBe(0);
    expect(worst).toBeLessThan(6);
  }, 60_000);

  it('the repeat counter finds planted repeats, and only real ones', () => {
    const ivs = Buffer.alloc(6 * 12);
    for (let i = 0; i < 6; i++) ivs.writeUIntBE(i + 1, i * 12, 6);
    expect(countRepeatedIvs(ivs, 6)).toBe(0);
    // IV 4 shares its first 48 bits with IV 0 but differs in the last byte: not a repeat.
    ivs.copy(ivs, 4 * 12, 0, 12);
    ivs[4 * 12 + 11] = 1;
    expect(countRepeatedIvs(ivs, 6)).toBe(0);
    // IVs 3 and 5 equal IV 1: two repeats.
    ivs.copy(ivs, 3 * 12, 12, 24);
    ivs.copy(ivs, 5 * 12, 12, 24);
    expect(countRepeatedIvs(ivs, 6)).toBe(2);
  });

  it(`make ${n(SAME_DATA_SEALS)} seals of the same data at the same instant all differ`, () => {
    const now = Date.now();
    const values = new Set<string>();
    const bodies = new Set<string>();
    for (let i = 0; i < SAME_DATA_SEALS; i++) {
      const seal = fixture.target.seal({ userId: 42 }, now);
      values.add(seal);
      bodies.add(Buffer.from(seal, 'base64url').toString('hex', LAYOUT.ivEnd));
      if (i % 1000 === 0) expect(fixture.target.open(seal)).toEqual({ userId: 42 });
    }
    console.log(
      `same data, same instant: ${n(values.size)} distinct seals, ${n(bodies.size)} distinct ciphertexts and tags of ${n(SAME_DATA_SEALS)}`,
    );
    expect(values.size).toBe(SAME_DATA_SEALS);
    expect(bodies.size).toBe(SAME_DATA_SEALS);
  });
});
