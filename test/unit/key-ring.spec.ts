import { hkdfSync, randomBytes } from 'node:crypto';
import { KeyRing } from '../../lib/crypto/key-ring.js';
import { HINT_LENGTH } from '../../lib/crypto/seal-format.js';

const SECRET_A = 'correct-horse-battery-staple-0001';
const SECRET_B = 'correct-horse-battery-staple-0002';

/** Every value reachable from `root`: own properties (enumerable or not), arrays, Maps, Sets. */
function reachable(root: unknown): unknown[] {
  const seen = new Set<unknown>();
  const queue: unknown[] = [root];
  while (queue.length > 0) {
    const value = queue.pop();
    if (value === null || typeof value !== 'object' || seen.has(value)) continue;
    seen.add(value);
    if (Buffer.isBuffer(value)) continue;
    if (value instanceof Map) {
      for (const [k, v] of value) queue.push(k, v);
    } else if (value instanceof Set) {
      for (const v of value) queue.push(v);
    }
    for (const key of Reflect.ownKeys(value)) {
      queue.push((value as Record<PropertyKey, unknown>)[key]);
    }
  }
  return [...seen];
}

function holdsSecret(root: unknown, secret: string | Buffer): boolean {
  const bytes = Buffer.from(secret);
  return reachable(root).some((value) => {
    if (Buffer.isBuffer(value)) return value.includes(bytes);
    return false;
  });
}

function holdsString(root: unknown, text: string): boolean {
  return reachable(root).some(
    (value) =>
      typeof value === 'object' &&
      value !== null &&
      Reflect.ownKeys(value).some(
        (key) =>
          (value as Record<PropertyKey, unknown>)[key] === text ||
          (typeof key === 'string' && key === text),
      ),
  );
}

describe('KeyRing', () => {
  it('derives a 32-byte key and a 4-byte hint from each secret', () => {
    const ring = new KeyRing([SECRET_A, SECRET_B]);
    expect(ring.keys).toHaveLength(2);
    for (const key of ring.keys) {
      expect(key.key).toBeInstanceOf(Buffer);
      expect(key.key).toHaveLength(32);
      expect(key.hint).toHaveLength(HINT_LENGTH);
      expect(HINT_LENGTH).toBe(4);
    }
  });

  it('numbers the keys in the order of the secrets and seals with the first', () => {
    const ring = new KeyRing([SECRET_A, SECRET_B]);
    expect(ring.keys.map((key) => key.index)).toEqual([0, 1]);
    expect(ring.current).toBe(ring.keys[0]);
    expect(ring.current.key.equals(new KeyRing([SECRET_A]).current.key)).toBe(true);
  });

  it('derives the key with HKDF-SHA256, so it is neither the secret nor a plain hash of it', () => {
    const ring = new KeyRing([SECRET_A]);
    const expected = Buffer.from(
      hkdfSync(
        'sha256',
        Buffer.from(SECRET_A),
        Buffer.from('nest-cookie-session'),
        Buffer.from('v1 aes-256-gcm key'),
        32,
      ),
    );
    expect(ring.current.key.equals(expected)).toBe(true);
    expect(ring.current.key.equals(Buffer.from(SECRET_A).subarray(0, 32))).toBe(false);
  });

  it('derives different keys and hints from different secrets', () => {
    const secrets = Array.from({ length: 20 }, () => randomBytes(32));
    const ring = new KeyRing(secrets);
    const keys = new Set(ring.keys.map((key) => key.key.toString('hex')));
    const hints = new Set(ring.keys.map((key) => key.hint.toString('hex')));
    expect(keys.size).toBe(secrets.length);
    expect(hints.size).toBe(secrets.length);
  });

  it('derives the hint independently of the key (the hint is not a slice of the key)', () => {
    for (const secret of [SECRET_A, SECRET_B, randomBytes(48)]) {
      const { key, hint } = new KeyRing([secret]).current;
      expect(key.includes(hint)).toBe(false);
    }
  });

  it('derives the same key and hint from a secret string and from the Buffer of its UTF-8 bytes', () => {
    const fromString = new KeyRing([SECRET_A]).current;
    const fromBuffer = new KeyRing([Buffer.from(SECRET_A, 'utf8')]).current;
    expect(fromBuffer.key.equals(fromString.key)).toBe(true);
    expect(fromBuffer.hint.equals(fromString.hint)).toBe(true);
  });

  it('derives the same key from the same secret every time', () => {
    const first = new KeyRing([SECRET_B]).current;
    const second = new KeyRing([SECRET_B]).current;
    expect(second.key.equals(first.key)).toBe(true);
    expect(second.hint.equals(first.hint)).toBe(true);
  });

  it('treats a non-ASCII secret string as UTF-8', () => {
    const secret = 'clé-secrète-😀-'.repeat(3);
    const fromString = new KeyRing([secret]).current;
    expect(fromString.key.equals(new KeyRing([Buffer.from(secret, 'utf8')]).current.key)).toBe(
      true,
    );
    expect(fromString.key.equals(new KeyRing([Buffer.from(secret, 'latin1')]).current.key)).toBe(
      false,
    );
  });

  it('finds a key by its hint', () => {
    const ring = new KeyRing([SECRET_A, SECRET_B]);
    for (const key of ring.keys) {
      expect(ring.candidates(key.hint.readUInt32BE(0))).toEqual([key]);
    }
  });

  it('returns no candidates for a hint it does not know', () => {
    const ring = new KeyRing([SECRET_A, SECRET_B]);
    const known = new Set(ring.keys.map((key) => key.hint.readUInt32BE(0)));
    const unknown = [0, 1, 0xffffffff, 0x12345678].filter((hint) => !known.has(hint));
    expect(unknown.length).toBeGreaterThan(0);
    for (const hint of unknown) expect(ring.candidates(hint)).toEqual([]);
    const other = new KeyRing([randomBytes(32)]).current.hint.readUInt32BE(0);
    expect(ring.candidates(other)).toEqual([]);
  });

  it('does not keep the secrets anywhere on the ring', () => {
    const text = `${SECRET_A}-text`;
    const buffer = randomBytes(40);
    const ring = new KeyRing([text, buffer]);
    expect(holdsSecret(ring, text)).toBe(false);
    expect(holdsSecret(ring, buffer)).toBe(false);
    expect(holdsString(ring, text)).toBe(false);
    // The search can find a secret where one is kept.
    expect(holdsSecret({ kept: [Buffer.from(text)] }, text)).toBe(true);
    expect(holdsString({ kept: new Map([[1, { text }]]) }, text)).toBe(true);
  });

  it('copies a Buffer secret, so changing the Buffer afterwards does not change the key', () => {
    const secret = randomBytes(32);
    const ring = new KeyRing([secret]);
    const before = Buffer.from(ring.current.key);
    secret.fill(0);
    expect(ring.current.key.equals(before)).toBe(true);
  });

  it('refuses an empty list of secrets', () => {
    expect(() => new KeyRing([])).toThrow(TypeError);
  });
});
