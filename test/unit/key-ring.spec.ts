import { hkdfSync, randomBytes } from 'node:crypto';
import { KeyRing } from '../../lib/crypto/key-ring.js';

const SECRET_A = 'Vq3xN8rT2mLw9pZs4kYb7hJd1fGc6eRu';
const SECRET_B = 'Hn5tQ2wE8yUi4oPa7sDf1gJk3lZx9cVb';

/** The AES key the library should derive from `secret`, computed here independently. */
function expectedKey(secret: string | Buffer): Buffer {
  const salt = Buffer.from('nest-cookie-session');
  const info = Buffer.from('v1 aes-256-gcm key');
  return Buffer.from(hkdfSync('sha256', Buffer.from(secret), salt, info, 32));
}

describe('KeyRing', () => {
  it('derives each AES key with HKDF-SHA256, so it is neither the secret nor a slice of it', () => {
    const ring = new KeyRing([SECRET_A, SECRET_B]);
    expect(ring.aesKey(0).equals(expectedKey(SECRET_A))).toBe(true);
    expect(ring.aesKey(1).equals(expectedKey(SECRET_B))).toBe(true);
    expect(ring.aesKey(0).equals(Buffer.from(SECRET_A))).toBe(false);
  });

  it('numbers the keys in the order of the secrets and seals with the first', () => {
    const ring = new KeyRing([SECRET_A, SECRET_B]);
    expect(ring.keys.map((key) => key.index)).toEqual([0, 1]);
    expect(ring.current).toBe(ring.keys[0]);
  });

  it('derives a 4-byte hint independent of the key (not a slice of it), distinct per secret', () => {
    const secrets = Array.from({ length: 20 }, () => randomBytes(32));
    const ring = new KeyRing(secrets);
    const hints = new Set(ring.keys.map((key) => key.hint.toString('hex')));
    expect(hints.size).toBe(secrets.length);
    ring.keys.forEach((key) => {
      expect(key.hint).toHaveLength(4);
      expect(ring.aesKey(key.index).includes(key.hint)).toBe(false);
    });
  });

  it('holds no AES key on the objects it hands out', () => {
    const ring = new KeyRing([SECRET_A]);
    expect(Object.keys(ring.current).sort()).toEqual(['hint', 'index']);
    expect(Object.isFrozen(ring.current)).toBe(true);
  });

  it('derives the same key and hint from a secret string and from the Buffer of its UTF-8 bytes', () => {
    const secret = 'clé-secrète-😀-Vq3xN8rT2mLw9pZs4kYb';
    const fromString = new KeyRing([secret]);
    const fromUtf8 = new KeyRing([Buffer.from(secret, 'utf8')]);
    expect(fromUtf8.aesKey(0).equals(fromString.aesKey(0))).toBe(true);
    expect(fromUtf8.current.hint.equals(fromString.current.hint)).toBe(true);
    const fromLatin1 = new KeyRing([Buffer.from(secret, 'latin1')]);
    expect(fromLatin1.aesKey(0).equals(fromString.aesKey(0))).toBe(false);
  });

  it('finds a key by its hint, and nothing for a hint it does not know', () => {
    const ring = new KeyRing([SECRET_A, SECRET_B]);
    for (const key of ring.keys) expect(ring.candidates(key.hint.readUInt32BE(0))).toEqual([key]);
    const other = new KeyRing([randomBytes(32)]).current.hint.readUInt32BE(0);
    expect(ring.candidates(other)).toEqual([]);
  });

  it('keeps the key it derived when the caller later overwrites its Buffer secret', () => {
    const secret = randomBytes(32);
    const ring = new KeyRing([secret]);
    const before = Buffer.from(ring.aesKey(0));
    secret.fill(0);
    expect(ring.aesKey(0).equals(before)).toBe(true);
  });

  it('refuses an empty list of secrets', () => {
    expect(() => new KeyRing([])).toThrow(TypeError);
  });
});
