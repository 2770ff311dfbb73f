import { hkdfSync } from 'node:crypto';
import { HINT_LENGTH } from './seal-format.js';

/** A key derived from one secret, with the hint that names it inside seals. */
export interface DerivedKey {
  /** Position in the ring: 0 seals, every key opens. */
  readonly index: number;
  /** 32-byte AES-256-GCM key. */
  readonly key: Buffer;
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
 * start-up; the secrets themselves are not kept.
 */
export class KeyRing {
  readonly keys: readonly DerivedKey[];
  private readonly byHint = new Map<number, DerivedKey[]>();

  constructor(secrets: readonly (string | Buffer)[]) {
    if (secrets.length === 0) throw new TypeError('KeyRing needs at least one secret');
    this.keys = secrets.map((secret, index) => {
      const bytes = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : Buffer.from(secret);
      return {
        index,
        key: derive(bytes, KEY_INFO, 32),
        hint: derive(bytes, HINT_INFO, HINT_LENGTH),
      };
    });
    for (const key of this.keys) {
      const id = key.hint.readUInt32BE(0);
      const sameHint = this.byHint.get(id);
      if (sameHint) sameHint.push(key);
      else this.byHint.set(id, [key]);
    }
  }

  /** The key that seals. */
  get current(): DerivedKey {
    return this.keys[0];
  }

  /** Keys whose hint matches (normally one; a 32-bit collision yields several, all tried). */
  candidates(hint: number): readonly DerivedKey[] {
    return this.byHint.get(hint) ?? [];
  }
}
