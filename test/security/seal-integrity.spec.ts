import { randomBytes } from 'node:crypto';
import { HEADER_LENGTH, IV_LENGTH } from '../../lib/crypto/seal-format.js';
import { SessionCodec } from '../../lib/index.js';

/**
 * No two seals share an IV, even from two codecs of the same key sealing in turn, and sealing
 * the same data at the same instant never gives the same bytes. `npm run fuzz` runs the
 * 1 000 000-seal check; 200 000 keep this suite within seconds. (Every single-bit flip of a
 * seal is refused: the fuzz suite checks that, once.)
 */
const IV_SEALS = 200_000;
const SAME_DATA_SEALS = 10_000;
const SECRET = randomBytes(32).toString('base64url');

/** Copies the IV of `seal` into slot `index` of `ivs`. */
function copyIv(seal: string, ivs: Buffer, index: number): void {
  const bytes = Buffer.from(seal, 'base64url');
  bytes.copy(ivs, index * IV_LENGTH, HEADER_LENGTH, HEADER_LENGTH + IV_LENGTH);
}

/** How many of the `count` IVs in `ivs` equal an earlier one. */
function countRepeatedIvs(ivs: Buffer, count: number): number {
  const seen = new Set<string>();
  let repeats = 0;
  for (let i = 0; i < count; i++) {
    const iv = ivs.toString('latin1', i * IV_LENGTH, (i + 1) * IV_LENGTH);
    if (seen.has(iv)) repeats++;
    else seen.add(iv);
  }
  return repeats;
}

/** For each of the 96 bit positions, how many IVs have it set. */
function ivBitCounts(ivs: Buffer, count: number): number[] {
  const ones = new Array<number>(IV_LENGTH * 8).fill(0);
  for (let i = 0; i < count; i++) {
    for (let bit = 0; bit < IV_LENGTH * 8; bit++) {
      if (ivs[i * IV_LENGTH + (bit >> 3)] & (0x80 >> (bit & 7))) ones[bit]++;
    }
  }
  return ones;
}

describe('IVs', () => {
  it(`are never repeated over ${IV_SEALS} seals of two codecs of the same key, sealing in turn, and each bit is set in about half of them`, () => {
    const codecs = [new SessionCodec({ secret: SECRET }), new SessionCodec({ secret: SECRET })];
    const ivs = Buffer.alloc(IV_SEALS * IV_LENGTH);
    for (let i = 0; i < IV_SEALS; i++) copyIv(codecs[i & 1].seal({}), ivs, i);
    expect(countRepeatedIvs(ivs, IV_SEALS)).toBe(0);
    // Each bit is set in about half of the IVs: σ = √N / 2; 6σ is never reached by chance.
    const sigma = Math.sqrt(IV_SEALS) / 2;
    const off = ivBitCounts(ivs, IV_SEALS).filter((n) => Math.abs(n - IV_SEALS / 2) > 6 * sigma);
    expect(off).toEqual([]);
  }, 60_000);

  it('the repeat counter finds planted repeats, and only real ones', () => {
    const ivs = Buffer.alloc(6 * IV_LENGTH);
    for (let i = 0; i < 6; i++) ivs.writeUIntBE(i + 1, i * IV_LENGTH, 6);
    expect(countRepeatedIvs(ivs, 6)).toBe(0);
    // IV 4 shares its first 11 bytes with IV 0 but differs in the last: not a repeat.
    ivs.copy(ivs, 4 * IV_LENGTH, 0, IV_LENGTH);
    ivs[4 * IV_LENGTH + 11] = 1;
    expect(countRepeatedIvs(ivs, 6)).toBe(0);
    ivs.copy(ivs, 3 * IV_LENGTH, IV_LENGTH, 2 * IV_LENGTH);
    ivs.copy(ivs, 5 * IV_LENGTH, IV_LENGTH, 2 * IV_LENGTH);
    expect(countRepeatedIvs(ivs, 6)).toBe(2);
  });

  it(`make ${SAME_DATA_SEALS} seals of the same data at the same instant all differ, in ciphertext and tag too`, () => {
    const codec = new SessionCodec({ secret: SECRET });
    const now = Date.now();
    const values = new Set<string>();
    const bodies = new Set<string>();
    for (let i = 0; i < SAME_DATA_SEALS; i++) {
      const seal = codec.seal({ userId: 42 }, now);
      values.add(seal);
      bodies.add(Buffer.from(seal, 'base64url').toString('hex', HEADER_LENGTH + IV_LENGTH));
    }
    expect(values.size).toBe(SAME_DATA_SEALS);
    expect(bodies.size).toBe(SAME_DATA_SEALS);
  });
});
