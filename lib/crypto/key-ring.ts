import { hkdfSync } from 'node:crypto';
import { HINT_LENGTH } from './seal-format.js';

/** A key derived from one secret, with the hint that names it inside seals. */
export interface DerivedKey {
  /** Position in the ring: 0 seals, every key opens. */
  readonly index: number;
  /** 4 bytes that tell which key sealed a value, so opening tries one key, not all. */
  readonly hint: Buffer;
}

// HKDF-SHA256 with a fixed salt and distinct `info` labels: the encryption key and the hint
// are independent outputs, so publishing the hint reveals nothing about the key.
const SALT = Buffer.from('nest-cookie-session');
const KEY_INFO = Buffer.from('v1 aes-256-gcm key');
const HINT_INFO = Buffer.from('v1 key hint');

function derive(secret: Buffer, info: Buffer, length: number): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, SALT, info, length));
}

/**
 * The ring of keys: `keys[0]` seals, every key opens. Secrets are turned into keys once, at
 * start-up, and dropped; the AES keys live in a private field, out of reach of `util.inspect`,
 * `JSON.stringify` and loggers.
 */
export class KeyRing {
  /** The derived keys, by ring position (hints only: the AES keys are in `#aesKeys`). */
  readonly keys: readonly DerivedKey[];
  readonly #aesKeys: Buffer[];
  readonly #byHint = new Map<number, DerivedKey[]>();

  constructor(secrets: readonly (string | Buffer)[]) {
    if (secrets.length === 0) throw new TypeError('KeyRing needs at least one secret');
    const bytes = secrets.map((s) => (typeof s === 'string' ? Buffer.from(s, 'utf8') : s));
    this.#aesKeys = bytes.map((secret) => derive(secret, KEY_INFO, 32));
    this.keys = bytes.map((secret, index) =>
      Object.freeze({ index, hint: derive(secret, HINT_INFO, HINT_LENGTH) }),
    );
    for (const key of this.keys) {
      const id = key.hint.readUInt32BE(0);
      const sameHint = this.#byHint.get(id);
      if (sameHint) sameHint.push(key);
      else this.#byHint.set(id, [key]);
    }
  }

  /** The key that seals. */
  get current(): DerivedKey {
    return this.keys[0];
  }

  /** The AES-256 key of ring position `index`. */
  aesKey(index: number): Buffer {
    return this.#aesKeys[index];
  }

  /** Keys whose hint matches (normally one; a 32-bit collision yields several, all tried). */
  candidates(hint: number): readonly DerivedKey[] {
    return this.#byHint.get(hint) ?? [];
  }

  /** Shown by `util.inspect` and loggers: how many keys, nothing of them. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `KeyRing { keys: ${this.keys.length} }`;
  }

  toJSON(): object {
    return { keys: this.keys.length };
  }
}
