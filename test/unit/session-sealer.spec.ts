import { SessionTooLargeError } from '../../lib/errors.js';
import { CLOCK_SKEW_MS, SessionSealer, toJson } from '../../lib/session/session-sealer.js';
import { HOUR, T0, sealTimesAt } from '../support/seal.js';

const SECRET = 'Vq3xN8rT2mLw9pZs4kYb7hJd1fGc6eRu';

const make = (settings: { name?: string; maxChunks?: number; absoluteTimeout?: number } = {}) =>
  new SessionSealer([SECRET], {
    name: settings.name ?? 'session',
    maxChunks: settings.maxChunks ?? 1,
    absoluteTimeout: settings.absoluteTimeout,
  });
const times = sealTimesAt;

describe('SessionSealer', () => {
  const sealer = make();

  it('opens a sealed JSON object: its data, the JSON text and the times', () => {
    const opened = sealer.open(sealer.seal('{"a":[1]}', times()), T0);
    expect(opened).toMatchObject({ data: { a: [1] }, json: '{"a":[1]}', keyIndex: 0, ...times() });
  });

  it.each(['[1]', '[]', 'null', '1', '"text"', 'true', '', 'not json', '{"a":', '{} {}'])(
    'gives undefined for a sealed payload %j that is not a JSON object',
    (json) => {
      expect(sealer.open(sealer.seal(json, times()), T0)).toBeUndefined();
    },
  );

  describe('time bounds', () => {
    it('opens a seal until one millisecond before it expires and refuses it from then on', () => {
      const sealed = sealer.seal('{}', times({ expiresAt: T0 + 10_000 }));
      expect(sealer.open(sealed, T0 + 9_999)).toBeDefined();
      expect(sealer.open(sealed, T0 + 10_000)).toBeUndefined();
      expect(sealer.peek(sealed, T0 + 9_999)).toBeDefined();
      expect(sealer.peek(sealed, T0 + 10_000)).toBeUndefined();
    });

    it(`accepts a seal issued up to ${CLOCK_SKEW_MS} ms in the future and refuses one issued later`, () => {
      const at = (issuedAt: number) =>
        sealer.seal('{}', times({ createdAt: issuedAt, issuedAt, expiresAt: issuedAt + HOUR }));
      expect(sealer.open(at(T0 + CLOCK_SKEW_MS), T0)).toBeDefined();
      expect(sealer.open(at(T0 + CLOCK_SKEW_MS + 1), T0)).toBeUndefined();
      expect(sealer.peek(at(T0 + CLOCK_SKEW_MS + 1), T0)).toBeUndefined();
      expect(sealer.open(at(T0 + 24 * HOUR), T0)).toBeUndefined();
    });

    it('refuses a seal whose creation time is after its issue time', () => {
      const created = (createdAt: number) => sealer.seal('{}', times({ createdAt }));
      expect(sealer.open(created(T0 - HOUR), T0)).toBeDefined();
      expect(sealer.open(created(T0), T0)).toBeDefined();
      expect(sealer.open(created(T0 + 1), T0)).toBeUndefined();
    });

    it('refuses a session once absoluteTimeout has passed since its creation, however recently it was renewed', () => {
      const capped = make({ absoluteTimeout: 5_000 });
      const renewed = capped.seal('{}', times({ issuedAt: T0 + 4_000 }));
      expect(capped.open(renewed, T0 + 4_999)).toBeDefined();
      expect(capped.open(renewed, T0 + 5_000)).toBeUndefined();
      expect(capped.peek(renewed, T0 + 5_000)).toBeUndefined();
      // The same seal opens without the cap: only absoluteTimeout refused it.
      expect(sealer.open(renewed, T0 + 5_000)).toBeDefined();
    });

    it('judges expiry by the time in the seal, whatever lifetime it records', () => {
      const sealed = sealer.seal('{}', times({ expiresAt: T0 + 5, lifetime: 100 * HOUR }));
      expect(sealer.open(sealed, T0 + 4)).toMatchObject({ lifetime: 100 * HOUR });
      expect(sealer.open(sealed, T0 + 5)).toBeUndefined();
    });
  });

  describe('size', () => {
    it('refuses to seal what maxChunks cookies cannot carry, and seals what they can', () => {
      const two = make({ maxChunks: 2 });
      const big = toJson({ blob: 'x'.repeat(5_000) });
      expect(() => sealer.seal(big, times())).toThrow(SessionTooLargeError);
      expect(two.open(two.seal(big, times()), T0)?.data).toEqual({ blob: 'x'.repeat(5_000) });
    });

    it('names the cookie, the bytes needed and the limit when refusing', () => {
      const error = (() => {
        try {
          sealer.seal(toJson({ blob: 'x'.repeat(5_000) }), times());
        } catch (e) {
          return e as SessionTooLargeError;
        }
        throw new Error('expected a throw');
      })();
      expect(error).toMatchObject({ cookieName: 'session', limit: 4096, maxChunks: 1 });
      expect(error.size).toBeGreaterThan(error.limit);
    });

    it('does not open a seal longer than its own maxChunks allows, though the key is the same', () => {
      const sealed = make({ maxChunks: 2 }).seal(toJson({ blob: 'x'.repeat(5_000) }), times());
      expect(sealer.open(sealed, T0)).toBeUndefined();
    });
  });
});

describe('toJson', () => {
  it('gives the JSON text of a plain object, and of what an object toJSON gives', () => {
    expect(toJson({ a: [1, { b: 'c' }], gone: undefined })).toBe('{"a":[1,{"b":"c"}]}');
    expect(toJson({ toJSON: () => ({ shown: 1 }) })).toBe('{"shown":1}');
  });

  it.each([
    ['an array', [1, 2]],
    ['null', null],
    ['a string', 'text'],
    ['a Date (its JSON is a string)', new Date(T0)],
    ['an object whose toJSON gives an array', { toJSON: () => [1] }],
    ['an object whose toJSON gives undefined', { toJSON: () => undefined }],
    ['an object holding a BigInt', { id: 1n }],
  ])('throws a TypeError for %s', (_, data) => {
    expect(() => toJson(data)).toThrow(TypeError);
  });

  it('throws a TypeError for an object with a cycle', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => toJson(cyclic)).toThrow(TypeError);
  });
});
