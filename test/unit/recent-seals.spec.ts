import { jest } from '@jest/globals';
import { randomInt } from 'node:crypto';
import { inspect } from 'node:util';
import { Sealer } from '../../lib/crypto/sealer.js';
import { RecentSeals } from '../../lib/session/recent-seals.js';
import { SessionRuntime } from '../../lib/session/session-runtime.js';
import { SessionSealer } from '../../lib/session/session-sealer.js';
import { HOUR, T0, corruptCiphertext, sealTimesAt } from '../support/seal.js';

const SECRET = 'Vq3xN8rT2mLw9pZs4kYb7hJd1fGc6eRu';
const OTHER_SECRET = 'Hs7dK2pQ9wLm4xZc8vBn3jRt6yFg1eUa';
const SETTINGS = {
  name: 'session',
  maxChunks: 3,
  absoluteTimeout: undefined as number | undefined,
};

const times = sealTimesAt;

/** A sealer that remembers, one that does not, and a count of real decryptions. */
function setUp(settings: Partial<typeof SETTINGS> = {}, recent = new RecentSeals()) {
  const cached = new SessionSealer([SECRET], { ...SETTINGS, ...settings }, recent);
  const plain = new SessionSealer([SECRET], { ...SETTINGS, ...settings });
  const decryptions = jest.spyOn(Sealer.prototype, 'open');
  return { cached, plain, recent, decryptions };
}

/** Every one-character change of a value: each must miss and be refused by the cipher. */
function oneCharacterChanges(value: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < value.length; i++) {
    const other = value[i] === 'A' ? 'B' : 'A';
    out.push(value.slice(0, i) + other + value.slice(i + 1));
  }
  return [...out, value.slice(1), value.slice(0, -1), `${value}A`, ` ${value}`];
}

afterEach(() => jest.restoreAllMocks());

describe('recently opened seals', () => {
  it('opens a value this process sealed without decrypting it, with the same result as decrypting', () => {
    const { cached, plain, decryptions } = setUp();
    const value = cached.seal('{"user":"alice"}', times());
    const opened = cached.open(value, T0 + 1);
    expect(decryptions).not.toHaveBeenCalled();
    expect(opened).toEqual(plain.open(value, T0 + 1));
    expect(opened?.data).toEqual({ user: 'alice' });
  });

  it('peeks at a remembered seal without decoding its header, with the times the header holds', () => {
    const { cached, plain } = setUp();
    const sealed = times({ createdAt: T0 - HOUR });
    const value = cached.seal('{"a":1}', sealed);
    const decodes = jest.spyOn(Sealer.prototype, 'peek');
    const fromMemory = cached.peek(value, T0);
    expect(decodes).not.toHaveBeenCalled();
    const fromHeader = plain.peek(value, T0);
    expect(decodes).toHaveBeenCalledTimes(1);
    const { createdAt, issuedAt, expiresAt, validatedAt, lifetime, keyIndex } = fromHeader!;
    expect(fromMemory).toMatchObject({
      createdAt,
      issuedAt,
      expiresAt,
      validatedAt,
      lifetime,
      keyIndex,
    });
    expect(fromMemory?.createdAt).toBe(T0 - HOUR);
    // Out of date is out of date, remembered or not.
    expect(cached.peek(value, sealed.expiresAt)).toBeUndefined();
  });

  it('decrypts a value sealed elsewhere once, then opens it from memory', () => {
    const { cached, plain, decryptions } = setUp();
    const value = plain.seal('{"n":1}', times());
    decryptions.mockClear();
    expect(cached.open(value, T0)?.data).toEqual({ n: 1 });
    expect(cached.open(value, T0)?.data).toEqual({ n: 1 });
    expect(cached.open(value, T0 + 1000)?.data).toEqual({ n: 1 });
    expect(decryptions).toHaveBeenCalledTimes(1);
  });

  it('never answers a forged value from memory: every one-character change is decrypted and refused', () => {
    const { cached, decryptions } = setUp();
    const value = cached.seal('{"role":"user"}', times());
    expect(cached.open(value, T0)).toBeDefined();
    const forgeries = oneCharacterChanges(value);
    for (const forged of forgeries) expect(cached.open(forged, T0)).toBeUndefined();
    // Each forgery either failed the format checks before the cipher or was decrypted and
    // refused; none was answered from memory, and none was remembered (a second try decrypts).
    const first = decryptions.mock.calls.length;
    for (const forged of forgeries) expect(cached.open(forged, T0)).toBeUndefined();
    expect(decryptions.mock.calls.length).toBe(2 * first);
    expect(first).toBe(forgeries.length);
  });

  it('never remembers a value that did not open: a corrupted ciphertext is decrypted every time', () => {
    const { cached, plain, recent, decryptions } = setUp();
    const corrupted = corruptCiphertext(plain.seal('{"a":1}', times()));
    decryptions.mockClear();
    for (let i = 0; i < 3; i++) expect(cached.open(corrupted, T0)).toBeUndefined();
    expect(decryptions).toHaveBeenCalledTimes(3);
    expect(recent.size).toBe(0);
  });

  it('does not open from memory under another key ring: a seal under another secret stays refused', () => {
    const recent = new RecentSeals();
    const ours = new SessionSealer([SECRET], SETTINGS, recent);
    const theirs = new SessionSealer([OTHER_SECRET], SETTINGS);
    const value = theirs.seal('{"admin":true}', times());
    expect(ours.open(value, T0)).toBeUndefined();
    expect(ours.open(value, T0)).toBeUndefined();
    expect(recent.size).toBe(0);
  });

  it('checks the times on every use: a remembered seal expires, passes absoluteTimeout and is forgotten', () => {
    const { cached, recent } = setUp({ absoluteTimeout: 30 * 60_000 });
    const expiring = cached.seal('{}', times({ expiresAt: T0 + 10_000 }));
    const old = cached.seal('{"old":1}', times({ createdAt: T0 - 29 * 60_000 }));
    expect(cached.open(expiring, T0 + 9_999)).toBeDefined();
    expect(cached.open(expiring, T0 + 10_000)).toBeUndefined();
    expect(cached.open(old, T0 + 60_000 - 1)).toBeDefined();
    expect(cached.open(old, T0 + 60_000)).toBeUndefined();
    expect(recent.size).toBe(0);
  });

  it('refuses a remembered seal issued too far in the future of the time asked about', () => {
    const { cached } = setUp();
    const value = cached.seal('{}', times({ createdAt: T0, issuedAt: T0 }));
    expect(cached.open(value, T0 - 2 * 60_000)).toBeUndefined();
    expect(cached.open(value, T0)).toBeDefined();
  });

  it('gives every open its own data object: changing one never shows in the next', () => {
    const { cached } = setUp();
    const value = cached.seal('{"cart":["apple"]}', times());
    const first = cached.open(value, T0)!;
    (first.data.cart as string[]).push('pear');
    first.data.admin = true;
    const second = cached.open(value, T0)!;
    expect(second.data).toEqual({ cart: ['apple'] });
    expect(second.data).not.toBe(first.data);
    expect(second.json).toBe('{"cart":["apple"]}');
  });

  it('agrees with a sealer that remembers nothing over random seals, forgeries and times', () => {
    const { cached, plain } = setUp({ absoluteTimeout: 2 * HOUR });
    const values: string[] = [];
    for (let i = 0; i < 400; i++) {
      const at = T0 + randomInt(3 * HOUR);
      const pick = randomInt(4);
      if (pick === 0 || values.length === 0) {
        const createdAt = at - randomInt(HOUR);
        const sealer = randomInt(2) === 0 ? cached : plain;
        values.push(
          sealer.seal(
            JSON.stringify({ i }),
            times({ createdAt, issuedAt: at, expiresAt: at + randomInt(1, HOUR) }),
          ),
        );
        continue;
      }
      const known = values[randomInt(values.length)];
      const value = pick === 1 ? oneCharacterChanges(known)[randomInt(known.length)] : known;
      expect(cached.open(value, at)).toEqual(plain.open(value, at));
    }
  });
});

describe('what is remembered stays out of sight', () => {
  it('is shown by no rendering of the runtime, its sealer or the cache: neither the seals nor their data', () => {
    const runtime = new SessionRuntime({ secret: SECRET }, { log() {}, warn() {}, error() {} });
    const marker = 'card-4111-1111-1111-1111';
    const now = Date.now();
    const value = runtime.sealer.seal(
      JSON.stringify({ marker }),
      times({ createdAt: now, issuedAt: now, expiresAt: now + HOUR }),
    );
    expect(runtime.sealer.open(value, now)?.data).toEqual({ marker });
    const recent = new RecentSeals();
    recent.remember(value, { ...times(), json: JSON.stringify({ marker }), keyIndex: 0 });
    for (const shown of [runtime, runtime.sealer, recent]) {
      for (const text of [
        inspect(shown, { depth: Infinity, showHidden: true }),
        inspect(shown, { depth: Infinity, showHidden: true, customInspect: false }),
        JSON.stringify(shown) ?? '',
        String(shown),
      ]) {
        expect(text).not.toContain(marker);
        expect(text).not.toContain(value.slice(0, 40));
      }
    }
  });
});

describe('RecentSeals bounds', () => {
  const opened = (json: string) => ({ ...times(), json, keyIndex: 0 });

  it('keeps at most its number of entries, dropping the least recently used first', () => {
    const recent = new RecentSeals(3, 1_000_000);
    for (const value of ['a', 'b', 'c']) recent.remember(value, opened('{}'));
    expect(recent.get('a')).toBeDefined(); // now the most recently used
    recent.remember('d', opened('{}'));
    expect(recent.size).toBe(3);
    expect(recent.get('b')).toBeUndefined();
    expect(['a', 'c', 'd'].map((v) => recent.get(v) !== undefined)).toEqual([true, true, true]);
  });

  it('peeking does not count as a use: the least recently used still goes first', () => {
    const recent = new RecentSeals(3, 1_000_000);
    for (const value of ['a', 'b', 'c']) recent.remember(value, opened('{}'));
    expect(recent.peek('a')).toBeDefined();
    recent.remember('d', opened('{}'));
    expect(recent.peek('a')).toBeUndefined();
    expect(['b', 'c', 'd'].map((v) => recent.peek(v) !== undefined)).toEqual([true, true, true]);
  });

  it('keeps at most its number of characters of values and JSON', () => {
    const recent = new RecentSeals(1_000, 400);
    for (let i = 0; i < 10; i++) recent.remember(`value-${i}`.padEnd(50, '.'), opened('{}'));
    // 52 characters each: 7 fit in 400.
    expect(recent.size).toBe(7);
    expect(recent.get('value-9'.padEnd(50, '.'))).toBeDefined();
    expect(recent.get('value-0'.padEnd(50, '.'))).toBeUndefined();
  });

  it('does not store a value larger than a quarter of its characters', () => {
    const recent = new RecentSeals(1_000, 400);
    recent.remember('x'.repeat(99), opened('{}'));
    expect(recent.size).toBe(0);
    recent.remember('x'.repeat(98), opened('{}'));
    expect(recent.size).toBe(1);
  });

  it('drops exactly the least recently used entry over many uses, evictions and emptyings', () => {
    // A plain model of the same bounds: an array from least to most recently used.
    const recent = new RecentSeals(50, 1_000_000);
    let model: string[] = [];
    let next = 0;
    for (let step = 0; step < 5_000; step++) {
      const roll = randomInt(100);
      const known = model.length > 0 ? model[randomInt(model.length)] : undefined;
      if (roll < 50 || known === undefined) {
        const value = `v${next++}`;
        recent.remember(value, opened('{}'));
        model.push(value);
        if (model.length > 50) model.shift();
      } else if (roll < 80) {
        expect(recent.get(known)).toBeDefined();
        model = [...model.filter((v) => v !== known), known];
      } else if (roll < 90) {
        expect(recent.peek(known)).toBeDefined();
      } else if (roll < 99) {
        recent.forget(known);
        model = model.filter((v) => v !== known);
      } else {
        for (const value of model) recent.forget(value);
        model = [];
      }
      expect(recent.size).toBe(model.length);
    }
    // Exactly the model's values are kept, and new values push them out in its order.
    const kept = Array.from({ length: next }, (_, i) => `v${i}`).filter((v) => recent.peek(v));
    expect(kept.sort()).toEqual([...model].sort());
    const pushedOut: string[] = [];
    for (let i = 0; i < 50; i++) {
      recent.remember(`w${i}`, opened('{}'));
      pushedOut.push(...model.filter((v) => !pushedOut.includes(v) && !recent.peek(v)));
    }
    expect(pushedOut).toEqual(model);
  });

  it('stores a value once however often it is remembered', () => {
    const recent = new RecentSeals(1_000, 400);
    for (let i = 0; i < 20; i++) recent.remember('same'.padEnd(50), opened('{}'));
    for (let i = 0; i < 6; i++) recent.remember(`other-${i}`.padEnd(50), opened('{}'));
    expect(recent.size).toBe(7);
  });
});
