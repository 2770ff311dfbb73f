import {
  createCipheriv,
  createDecipheriv,
  randomFillSync,
  type CipherGCM,
  type DecipherGCM,
} from 'node:crypto';
import { KeyRing } from './key-ring.js';
import {
  HEADER_LENGTH,
  IV_LENGTH,
  SEAL_OVERHEAD,
  SEAL_VERSION,
  TAG_LENGTH,
  base64UrlLength,
  decodeBase64UrlStrict,
  readHeader,
  writeHeader,
  type SealHeader,
  type SealTimes,
} from './seal-format.js';

/** What a seal holds once opened and authenticated. */
export interface OpenedSeal extends SealTimes {
  /** The JSON text exactly as sealed. */
  readonly json: string;
  /** Which key of the ring opened it (0 = the current key). */
  readonly keyIndex: number;
}

/** A seal's header read without decrypting, with the ring position its hint names. */
export interface PeekedSeal extends SealHeader {
  /** Ring position of the key the hint names, or -1 when no key of the ring has that hint. */
  readonly keyIndex: number;
}

const ALGORITHM = 'aes-256-gcm';
const MIN_BYTES = SEAL_OVERHEAD + 2; // the shortest JSON object, "{}"
/** Characters of base64url that hold the whole header (whole groups of 4 characters). */
const HEADER_CHARS = Math.ceil(HEADER_LENGTH / 3) * 4;

/**
 * AES-256-GCM seals of JSON text under a key ring, bound to one cookie name: the format
 * version, key hint, times and cookie name are authenticated as additional data. Knows nothing
 * of HTTP, options or Nest.
 */
export class Sealer {
  readonly #ring: KeyRing;
  readonly #name: Buffer;
  readonly #maxLength: number;

  constructor(ring: KeyRing, cookieName: string, maxLength: number) {
    this.#ring = ring;
    this.#name = Buffer.from(cookieName, 'utf8');
    this.#maxLength = maxLength;
  }

  /** Characters of the sealed value for JSON of `jsonBytes` bytes. */
  static sealedLength(jsonBytes: number): number {
    return base64UrlLength(SEAL_OVERHEAD + jsonBytes);
  }

  /**
   * Seals JSON text with the given times, under the ring's current key.
   * @throws RangeError when a time is out of range.
   */
  seal(json: string, times: SealTimes): string {
    const key = this.#ring.current;
    const jsonBytes = Buffer.byteLength(json);
    const out = Buffer.allocUnsafe(SEAL_OVERHEAD + jsonBytes);
    writeHeader(out, key.hint, times);
    // A fresh IV straight from the CSPRNG for every seal: no IV state in this process's memory
    // that a fork, a startup snapshot or a checkpoint/restore could hand to two processes.
    const iv = randomFillSync(out, HEADER_LENGTH, IV_LENGTH).subarray(
      HEADER_LENGTH,
      HEADER_LENGTH + IV_LENGTH,
    );
    const cipher = createCipheriv(ALGORITHM, this.#ring.aesKey(key.index), iv, {
      authTagLength: TAG_LENGTH,
    });
    this.#setAad(cipher, out);
    const body = cipher.update(json, 'utf8');
    cipher.final();
    body.copy(out, HEADER_LENGTH + IV_LENGTH);
    cipher.getAuthTag().copy(out, out.length - TAG_LENGTH);
    return out.toString('base64url');
  }

  /**
   * Reads a seal's header without decrypting: its times and which key it names. The result is
   * not authenticated — use it only to decide whether opening is worth it. Never throws.
   */
  peek(value: string): PeekedSeal | undefined {
    if (!this.#plausibleLength(value)) return undefined;
    // Only the header's characters are decoded: the rest is looked at when the seal is opened.
    const head = Buffer.from(value.slice(0, HEADER_CHARS), 'base64url');
    if (head.length < HEADER_LENGTH || head[0] !== SEAL_VERSION) return undefined;
    const header = readHeader(head);
    const keyIndex = this.#ring.candidates(header.hint)[0]?.index ?? -1;
    return withKeyIndex(header, keyIndex);
  }

  /** Opens and authenticates a seal; `undefined` for anything else. Never throws. */
  open(value: string): OpenedSeal | undefined {
    const bytes = this.#decode(value);
    if (!bytes) return undefined;
    const header = readHeader(bytes);
    for (const key of this.#ring.candidates(header.hint)) {
      const json = this.#decrypt(key.index, bytes);
      if (json !== undefined) {
        const { createdAt, issuedAt, expiresAt, validatedAt, lifetime } = header;
        return { createdAt, issuedAt, expiresAt, validatedAt, lifetime, json, keyIndex: key.index };
      }
    }
    return undefined;
  }

  #plausibleLength(value: string): boolean {
    return value.length >= base64UrlLength(MIN_BYTES) && value.length <= this.#maxLength;
  }

  #decode(value: string): Buffer | undefined {
    if (!this.#plausibleLength(value)) return undefined;
    const bytes = decodeBase64UrlStrict(value);
    if (!bytes || bytes.length < MIN_BYTES || bytes[0] !== SEAL_VERSION) return undefined;
    return bytes;
  }

  /** Additional data: the seal's header, then the cookie name (GCM takes it in parts). */
  #setAad(cipher: CipherGCM | DecipherGCM, bytes: Buffer): void {
    cipher.setAAD(bytes.subarray(0, HEADER_LENGTH));
    cipher.setAAD(this.#name);
  }

  #decrypt(keyIndex: number, bytes: Buffer): string | undefined {
    const tagStart = bytes.length - TAG_LENGTH;
    try {
      const iv = bytes.subarray(HEADER_LENGTH, HEADER_LENGTH + IV_LENGTH);
      const decipher = createDecipheriv(ALGORITHM, this.#ring.aesKey(keyIndex), iv, {
        authTagLength: TAG_LENGTH,
      });
      this.#setAad(decipher, bytes);
      decipher.setAuthTag(bytes.subarray(tagStart));
      const plain = decipher.update(bytes.subarray(HEADER_LENGTH + IV_LENGTH, tagStart));
      decipher.final(); // throws unless the tag verifies: nothing above is used before this line
      return plain.toString('utf8');
    } catch {
      return undefined;
    }
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return 'Sealer {}';
  }
}

function withKeyIndex(header: SealHeader, keyIndex: number): PeekedSeal {
  const { hint, createdAt, issuedAt, expiresAt, validatedAt, lifetime } = header;
  return { hint, createdAt, issuedAt, expiresAt, validatedAt, lifetime, keyIndex };
}
