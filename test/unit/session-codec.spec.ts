import { randomBytes } from 'node:crypto';
import { CookieSessionOptionsError, SessionTooLargeError } from '../../lib/errors.js';
import { SessionCodec } from '../../lib/session/session-codec.js';
import { sealTimes } from '../support/seal.js';

const SECRET = 'Vq3xN8rT2mLw9pZs4kYb7hJd1fGc6eRu';
const OTHER = 'Hn5tQ2wE8yUi4oPa7sDf1gJk3lZx9cVb';
const NEWER = 'Rf8kW3zM6xCq1vBn9tYh4jLp2sGd7aEu';
const T0 = Date.UTC(2030, 0, 1, 12, 0, 0);
const HOUR = 3_600_000;

describe('SessionCodec', () => {
  const codec = new SessionCodec({ secret: SECRET });

  it.each([
    ['an empty object', {}],
    ['flat values', { userId: 42, admin: false, name: 'Ada', ratio: 0.25, none: null }],
    [
      'nested objects and arrays',
      { user: { id: 1, roles: ['a'] }, list: [1, [2, [3]], { x: null }] },
    ],
    ['unicode keys and values', { name: 'Zoë 😀 日本語', 键: 'значение', '🔑': '\u2028\u2029' }],
    ['characters JSON escapes', { text: 'quote " backslash \\ newline \n nul \u0000' }],
    ['a long string', { blob: 'ab'.repeat(1000) }],
  ])('gives back equal data for %s', (_, data) => {
    expect(codec.open(codec.seal(data))).toEqual(data);
  });

  it('returns a fresh object each time a value is opened', () => {
    const sealed = codec.seal({ a: { b: 1 } });
    codec.open<{ a: { b: number } }>(sealed)!.a.b = 2;
    expect(codec.open(sealed)).toEqual({ a: { b: 1 } });
  });

  it('produces URL-safe base64 without padding', () => {
    for (let i = 0; i < 50; i++) {
      expect(codec.seal({ i, r: randomBytes(i).toString('hex') })).toMatch(/^[A-Za-z0-9_-]+$/);
    }
  });

  it('drops what JSON drops and refuses what is not a plain object of JSON data', () => {
    const data = { keep: 1, gone: undefined, fn: () => 1, date: new Date(T0) };
    expect(codec.open(codec.seal(data))).toEqual({ keep: 1, date: new Date(T0).toISOString() });
    expect(() => codec.seal([1] as object)).toThrow(TypeError);
    expect(() => codec.seal({ id: 1n })).toThrow(TypeError);
  });

  it('throws SessionTooLargeError for data one cookie cannot carry, unless maxChunks allows more', () => {
    const big = { blob: 'x'.repeat(5_000) };
    expect(() => codec.seal(big)).toThrow(SessionTooLargeError);
    const two = new SessionCodec({ secret: SECRET, maxChunks: 2 });
    expect(two.open(two.seal(big))).toEqual(big);
    expect(codec.open(two.seal(big))).toBeUndefined();
  });

  describe('times', () => {
    it('seals a new session: created and issued now, never validated, expiring maxAge later', () => {
      const short = new SessionCodec({ secret: SECRET, maxAge: 10_000 });
      expect(sealTimes(short.seal({ a: 1 }, T0))).toMatchObject({
        createdAt: T0,
        issuedAt: T0,
        expiresAt: T0 + 10_000,
        validatedAt: 0,
        lifetime: 0,
      });
    });

    it('opens a seal until one millisecond before it expires and refuses it from then on', () => {
      const short = new SessionCodec({ secret: SECRET, maxAge: 10_000 });
      const sealed = short.seal({ a: 1 }, T0);
      expect(short.open(sealed, T0 + 9_999)).toEqual({ a: 1 });
      expect(short.open(sealed, T0 + 10_000)).toBeUndefined();
    });

    it("honours the seal's own expiry, whatever maxAge the opening codec has", () => {
      const sealed = new SessionCodec({ secret: SECRET, maxAge: 10_000 }).seal({ a: 1 }, T0);
      const longLived = new SessionCodec({ secret: SECRET, maxAge: 10_000 * HOUR });
      expect(longLived.open(sealed, T0 + 10_000)).toBeUndefined();
    });

    it('seals until the fixed expires date when one is configured', () => {
      const expires = new Date(Date.now() + 2 * HOUR);
      const fixed = new SessionCodec({ secret: SECRET, expires });
      const now = Date.now();
      const sealed = fixed.seal({ a: 1 }, now);
      expect(sealTimes(sealed).expiresAt).toBe(expires.getTime());
      expect(fixed.open(sealed, expires.getTime() - 1)).toEqual({ a: 1 });
      expect(fixed.open(sealed, expires.getTime())).toBeUndefined();
    });

    it('keeps the fixed expires date it was given: moving the Date afterwards changes nothing', () => {
      const expires = new Date(Date.now() + 2 * HOUR);
      const fixed = new SessionCodec({ secret: SECRET, expires });
      const at = expires.getTime();
      // Past every start-up check: a date that has passed, and one beyond what a seal holds.
      for (const moved of [Date.now() - HOUR, 2 ** 50]) {
        expires.setTime(moved);
        expect(sealTimes(fixed.seal({ a: 1 })).expiresAt).toBe(at);
      }
    });

    it('reads absoluteTimeout from the opening codec, so shortening it ends sessions already issued', () => {
      const sealed = codec.seal({}, T0);
      const shorter = new SessionCodec({ secret: SECRET, absoluteTimeout: 1_000 });
      expect(codec.open(sealed, T0 + 2_000)).toEqual({});
      expect(shorter.open(sealed, T0 + 999)).toEqual({});
      expect(shorter.open(sealed, T0 + 1_000)).toBeUndefined();
    });
  });

  describe('keys and names', () => {
    it('refuses a seal made with another secret', () => {
      const sealed = new SessionCodec({ secret: OTHER }).seal({ a: 1 });
      expect(codec.open(sealed)).toBeUndefined();
    });

    it('opens seals of every key of the ring and seals with keys[0]', () => {
      const ring = new SessionCodec({ keys: [NEWER, OTHER] });
      expect(ring.open(new SessionCodec({ secret: OTHER }).seal({ v: 1 }))).toEqual({ v: 1 });
      const sealed = ring.seal({ v: 2 });
      expect(new SessionCodec({ secret: NEWER }).open(sealed)).toEqual({ v: 2 });
      expect(new SessionCodec({ secret: OTHER }).open(sealed)).toBeUndefined();
    });

    it('refuses a seal made with a key the ring no longer holds', () => {
      const sealed = new SessionCodec({ secret: OTHER }).seal({ userId: 3 });
      expect(new SessionCodec({ keys: [NEWER, SECRET] }).open(sealed)).toBeUndefined();
    });

    it('opens the same seal whether the secret was given as a string or as a Buffer', () => {
      const sealed = codec.seal({ a: 1 });
      expect(new SessionCodec({ secret: Buffer.from(SECRET) }).open(sealed)).toEqual({ a: 1 });
    });

    it('refuses a seal moved to another cookie name, with the same secret', () => {
      const a = new SessionCodec({ secret: SECRET, name: 'a' });
      const sealed = a.seal({ userId: 1 });
      expect(a.open(sealed)).toEqual({ userId: 1 });
      expect(new SessionCodec({ secret: SECRET, name: 'b' }).open(sealed)).toBeUndefined();
      expect(codec.open(sealed)).toBeUndefined();
    });
  });

  it.each([
    ['a number', 42],
    ['undefined', undefined],
    ['null', null],
    ['an object', { value: 'x' }],
    ['a symbol', Symbol('seal')],
    ['a 100 KB string of base64url', 'A'.repeat(100_000)],
    ['a cookie header', 'session=abc; other=def'],
    ['a JSON text', '{"userId":1}'],
  ])('gives undefined for %s, without throwing', (_, value) => {
    expect(codec.open(value)).toBeUndefined();
  });

  it('gives undefined for a real seal wrapped in a String object or a Buffer', () => {
    const sealed = codec.seal({ a: 1 });
    expect(codec.open(new String(sealed))).toBeUndefined();
    expect(codec.open(Buffer.from(sealed))).toBeUndefined();
  });

  describe('construction', () => {
    it("names the cookie '__Host-session' by default, 'session' where __Host- is not allowed", () => {
      expect(codec.name).toBe('__Host-session');
      expect(codec.maxAge).toBe(86_400_000);
      expect(new SessionCodec({ secret: SECRET, path: '/app' }).name).toBe('session');
      expect(new SessionCodec({ secret: SECRET, secure: false }).name).toBe('session');
    });

    it.each([
      ['a short secret', { secret: 'short' }],
      ['no secret', {}],
      ['null', null],
      ['a string', SECRET],
    ])('fails with a CookieSessionOptionsError for %s', (_, options) => {
      expect(() => new SessionCodec(options as never)).toThrow(CookieSessionOptionsError);
    });

    it('accepts the module options as they are, ignoring those that concern HTTP', () => {
      const full = new SessionCodec({ secret: SECRET, sameSite: 'strict', autoRenew: false });
      expect(codec.open(full.seal({ a: 1 }))).toEqual({ a: 1 });
    });
  });
});
