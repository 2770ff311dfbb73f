import type { Arbitrary } from 'fast-check';

/** What the fuzzer needs of a SessionCodec (lib/'s in jest, dist/'s in scripts/fuzz.mjs). */
export interface FuzzedCodec {
  seal(data: object): string;
  open(value: unknown): object | undefined;
}
export type CodecClass = new (options: any) => FuzzedCodec;

export const ALPHABET: string;
/** The alphabet, then characters a seal must never contain (base64, separators, look-alikes). */
export const CHARS: readonly string[];

export interface Fixture {
  target: FuzzedCodec;
  /** Seals the target opens: `valid[2i]` under its sealing key, `valid[2i + 1]` under the older. */
  valid: string[];
  validSet: Set<string>;
  /** Real seals the target must refuse, with why. */
  foreign: { label: string; value: string }[];
  /** `valid` then the foreign values: what splices draw from. */
  all: string[];
}
export function buildFixture(SessionCodec: CodecClass): Fixture;

export type Mutation = { kind: string } & Record<string, unknown>;
export function mutationArbitraries(): Record<string, Arbitrary<Mutation>>;
export function applyMutation(value: string, mutation: Mutation, fixture: Fixture): string;

/** An input for the codec: its family, and for mutations how it was made. */
export interface FuzzCase {
  family: string;
  value: string;
  base?: string;
  mutations?: Mutation[];
}
export function caseArbitraries(fixture: Fixture): Record<string, Arbitrary<FuzzCase>>;
export function mixedArbitrary(fixture: Fixture): Arbitrary<FuzzCase>;

export type Outcome = 'skipped' | 'rejected' | 'opened' | 'crashed';
export interface Verdict {
  outcome: Outcome;
  detail?: string;
}
export function judgeCodec(
  codec: Pick<FuzzedCodec, 'open'>,
  value: string,
  fixture: Fixture,
  options?: { skipValid?: boolean },
): Verdict;
export function isFailure(verdict: Verdict): boolean;

export interface TallyRow {
  tried: number;
  skipped: number;
  rejected: number;
  opened: number;
  crashed: number;
}
export class Tally {
  readonly rows: Map<string, TallyRow>;
  readonly failures: ({ family: string; input: unknown } & Verdict)[];
  record(family: string, verdict: Verdict, input?: unknown): Verdict;
  readonly totals: TallyRow;
}

export function everyBitFlip(seal: string): Generator<[number, string]>;
export function everyCharacterReplacement(seal: string): Generator<[number, string]>;
