import * as fc from 'fast-check';
import { SessionCodec } from '../../lib/index.js';
import {
  Tally,
  applyMutation,
  buildFixture,
  caseArbitraries,
  CHARS,
  everyBitFlip,
  everyCharacterReplacement,
  isFailure,
  judgeCodec,
  type FuzzCase,
} from './support/seal-fuzz.mjs';

/**
 * No string an attacker can put in the session cookie opens a session or makes the codec throw,
 * unless it is, character for character, a valid seal. The long run is `npm run fuzz`
 * (scripts/fuzz.mjs). FUZZ_SEED fixes fast-check's seed (which mutations are made); the seals
 * they start from are new every run, so a failure is reproduced from the counterexample
 * fast-check prints: its `value` is the cookie.
 */
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
const RUNS_PER_FAMILY = 1000;

const fixture = buildFixture(SessionCodec);

describe('fuzzing SessionCodec.open', () => {
  const families = caseArbitraries(fixture);
  const tally = new Tally();
  const holds = (c: FuzzCase) =>
    !isFailure(tally.record(c.family, judgeCodec(fixture.target, c.value, fixture), c));

  it('starts from seals that open (under both keys of the ring) and real seals that must not', () => {
    for (const seal of fixture.valid) expect(fixture.target.open(seal)).toBeDefined();
    const refused = fixture.foreign.map(({ label, value }) => [label, fixture.target.open(value)]);
    expect(refused).toEqual(fixture.foreign.map(({ label }) => [label, undefined]));
  });

  it.each(Object.keys(families))('never opens or throws on %s', (family) => {
    fc.assert(fc.property(families[family], holds), { numRuns: RUNS_PER_FAMILY, seed: SEED });
    const row = tally.rows.get(family)!;
    expect(row.tried).toBe(RUNS_PER_FAMILY);
    // A mutation that gives back a valid seal is skipped; it must stay rare, or little is tested.
    expect(row.skipped).toBeLessThan(RUNS_PER_FAMILY / 20);
  });

  // Byte lengths of three lengths in a row (every length mod 3, so every number of spare bits in
  // the last character), under the sealing key and the older key of the ring.
  it.each([
    ['{"pad":""}, sealing key', 0],
    ['{"pad":""}, older key', 1],
    ['{"pad":"x"}, sealing key', 2],
    ['{"pad":"x"}, older key', 3],
    ['{"pad":"xx"}, sealing key', 4],
    ['{"pad":"xx"}, older key', 5],
  ])('refuses every single-bit flip of a seal of %s', (_, index) => {
    const seal = fixture.valid[index];
    const opened: number[] = [];
    let flips = 0;
    for (const [bit, flipped] of everyBitFlip(seal)) {
      flips++;
      if (judgeCodec(fixture.target, flipped, fixture).outcome !== 'rejected') opened.push(bit);
    }
    expect(opened).toEqual([]);
    expect(flips).toBe(Buffer.from(seal, 'base64url').length * 8);
  });

  it.each([
    ['{"pad":""}', 0],
    ['{"pad":"x"}', 2],
    ['{"pad":"xx"}', 5],
  ])('refuses every character of a seal of %s replaced by any other', (_, index) => {
    const seal = fixture.valid[index];
    const opened: string[] = [];
    let replacements = 0;
    for (const [position, replaced] of everyCharacterReplacement(seal)) {
      replacements++;
      const { outcome } = judgeCodec(fixture.target, replaced, fixture);
      if (outcome !== 'rejected') opened.push(`${position}: ${outcome}`);
    }
    expect(opened).toEqual([]);
    // Every other character of the alphabet, and every look-alike, separator and padding.
    expect(replacements).toBe(seal.length * (CHARS.length - 1));
  });
});

describe('the fuzz properties can fail', () => {
  const families = caseArbitraries(fixture);

  it('reports the unmodified seals as opened when they are not skipped', () => {
    const property = fc.property(
      fc.constantFrom(...fixture.valid),
      (value) => !isFailure(judgeCodec(fixture.target, value, fixture, { skipValid: false })),
    );
    expect(() => fc.assert(property, { numRuns: 20 })).toThrow(/Property failed/);
  });

  it('reports a codec that opens anything as opened', () => {
    const lenient = { open: () => ({ userId: 42 }) };
    expect(() =>
      fc.assert(
        fc.property(
          families['bit flips'],
          (c) => !isFailure(judgeCodec(lenient, c.value, fixture)),
        ),
        { numRuns: 5 },
      ),
    ).toThrow(/Property failed/);
  });

  it('reports a codec that throws as crashed', () => {
    const throwing = {
      open: (): undefined => {
        throw new RangeError('out of range');
      },
    };
    expect(judgeCodec(throwing, fixture.valid[0].slice(1), fixture)).toMatchObject({
      outcome: 'crashed',
      detail: expect.stringMatching(/out of range/),
    });
  });

  it('finds the flipped bit a codec ignores', () => {
    const seal = fixture.valid[0];
    const ignoresLastByte = {
      open: (value: unknown) =>
        typeof value === 'string' &&
        Buffer.from(value, 'base64url')
          .subarray(0, -1)
          .equals(Buffer.from(seal, 'base64url').subarray(0, -1))
          ? {}
          : undefined,
    };
    const opened = [...everyBitFlip(seal)].filter(
      ([, flipped]) => judgeCodec(ignoresLastByte, flipped, fixture).outcome === 'opened',
    );
    expect(opened).toHaveLength(8);
  });

  it('skips a mutation that gives back a valid seal instead of counting it as an attack', () => {
    const [seal, other] = fixture.valid;
    const rebuilt = applyMutation(seal, { kind: 'splice', other: 1, cut: 0, from: 0 }, fixture);
    expect(rebuilt).toBe(other);
    expect(judgeCodec(fixture.target, rebuilt, fixture)).toEqual({ outcome: 'skipped' });
  });

  it('never gives back the original by flipping one bit twice', () => {
    const seal = fixture.valid[2];
    const bits = Buffer.from(seal, 'base64url').length * 8;
    const flipped = applyMutation(seal, { kind: 'flip', bits: [3, 3 + bits] }, fixture);
    expect(flipped).not.toBe(seal);
    expect(judgeCodec(fixture.target, flipped, fixture).outcome).toBe('rejected');
  });
});
