import type { Agent } from 'node:http';
import type { Arbitrary } from 'fast-check';

/** What the fuzzer needs of a SessionCodec (lib/'s in jest, dist/'s in scripts/fuzz.mjs). */
export interface FuzzedCodec {
  seal(data: object, now?: number): string;
  sealJson(json: string, times: { createdAt: number; issuedAt: number; expiresAt: number }): string;
  open(value: unknown): object | undefined;
  openSeal(value: unknown): { data: object; keyIndex: number } | undefined;
}
export type CodecClass = new (options: any) => FuzzedCodec;

export const SECRETS: Readonly<{ current: string; previous: string; foreign: string }>;
export const COOKIE_NAME: 'session';
export function targetOptions<T extends object = {}>(
  extra?: T,
): { keys: string[]; name: string } & T;
export const LAYOUT: Readonly<{
  versionStart: number;
  hintStart: number;
  ivStart: number;
  ivEnd: number;
  tagLength: number;
  overhead: number;
}>;
export const MIN_SEAL_CHARS: number;
export const COOKIE_CHARS: number;
export const ALPHABET: string;
export const REENCODINGS: readonly string[];
export const HEADER_SAFE: RegExp;
export const HEADER_VARIANTS: readonly string[];

export interface Fixture {
  target: FuzzedCodec;
  /** Seals the target opens (under both keys of its ring). */
  valid: string[];
  validSet: Set<string>;
  /** Real seals the target must refuse, with why. */
  foreign: { label: string; value: string }[];
  /** `valid` then the foreign values: what splices and swaps draw from. */
  all: string[];
  hints: { current: number; previous: number; foreign: number };
  ringHints: Set<number>;
}
export function buildFixture(SessionCodec: CodecClass, now?: number): Fixture;

export type Mutation = { kind: string } & Record<string, unknown>;
export function mutationArbitraries(options?: {
  headerSafe?: boolean;
}): Record<string, Arbitrary<Mutation>>;
export function applyMutation(value: string, mutation: Mutation, fixture: Fixture): string;

/** An input for the codec or the cookie: its family, and for mutations how it was made. */
export interface FuzzCase {
  family: string;
  value: string;
  base?: string;
  mutations?: Mutation[];
}
export function caseArbitraries(
  fixture: Fixture,
  options?: { headerSafe?: boolean },
): Record<string, Arbitrary<FuzzCase>>;
export function mixedArbitrary(
  fixture: Fixture,
  options?: { headerSafe?: boolean },
): Arbitrary<FuzzCase>;

export type Outcome = 'skipped' | 'rejected' | 'opened' | 'crashed' | 'misbehaved';
export type Stage =
  'length' | 'encoding' | 'header' | 'tag' | 'valid seal' | 'carries a valid seal';
export interface Verdict {
  outcome: Outcome;
  stage?: Stage;
  detail?: string;
}
export function stageOf(value: string, fixture: Fixture, maxChars?: number): Stage;
export function judgeCodec(
  codec: Pick<FuzzedCodec, 'open' | 'openSeal'>,
  value: string,
  fixture: Fixture,
  options?: { skipValid?: boolean },
): Verdict;
export const FAILURES: ReadonlySet<Outcome>;
export function isFailure(verdict: Verdict): boolean;

export interface LiveCase {
  case: FuzzCase;
  variant: string;
  cuts: number[];
}
export function cookieHeaderFor(value: string, variant: string, cuts?: number[]): string;
export function liveCaseArbitrary(
  fixture: Fixture,
  options?: { chunks?: boolean },
): Arbitrary<LiveCase>;
export function keepAliveAgent(): Agent;
export interface LiveResponse {
  status?: number;
  body?: string;
  setCookie?: string[];
  error?: Error;
}
export function readThroughApp(
  port: number,
  cookie: string,
  agent?: Agent,
  path?: string,
): Promise<LiveResponse>;
export function judgeResponse(response: LiveResponse): Verdict;
export function sessionCandidates(header: string, maxChunks?: number): string[];
export function judgeLive(
  port: number,
  live: LiveCase,
  fixture: Fixture,
  agent?: Agent,
  options?: { skipValid?: boolean; maxChunks?: number },
): Promise<Verdict>;

export interface TallyRow {
  tried: number;
  tag: number;
  skipped: number;
  rejected: number;
  opened: number;
  crashed: number;
  misbehaved: number;
}
export class Tally {
  constructor(title: string);
  readonly title: string;
  readonly rows: Map<string, TallyRow>;
  readonly failures: {
    family: string;
    outcome: Outcome;
    detail?: string;
    input: unknown;
  }[];
  record(family: string, verdict: Verdict, input?: unknown): Verdict;
  readonly totals: TallyRow;
  summary(extra?: string): string;
}

export function everyBitFlip(seal: string): Generator<[number, string]>;
export function everyCharacterReplacement(
  seal: string,
  chars?: readonly string[],
): Generator<[number, string]>;
export function copyIv(seal: string, target: Buffer, index: number): void;
export function countRepeatedIvs(ivs: Buffer, count: number): number;
export function ivBitCounts(ivs: Buffer, count: number): number[];
