import { randomBytes } from 'node:crypto';
import { KeyRing } from '../../lib/crypto/key-ring.js';
import {
  HEADER_LENGTH,
  IV_LENGTH,
  SEAL_OVERHEAD,
  SEAL_VERSION,
  TIMES_OFFSET,
  TIME_LENGTH,
  type SealTimes,
} from '../../lib/crypto/seal-format.js';
import { Sealer } from '../../lib/crypto/sealer.js';

const OLD = 'Vq3xN8rT2mLw9pZs4kYb7hJd1fGc6eRu';
const NEW = 'Hn5tQ2wE8yUi4oPa7sDf1gJk3lZx9cVb';
const T0 = Date.UTC(2030, 0, 1, 12, 0, 0);
const TIMES: SealTimes = {
  createdAt: T0 - 1000,
  issuedAt: T0,
  expiresAt: T0 + 3_600_000,
  validatedAt: T0 - 500,
  lifetime: 7_200_000,
};
const JSON_TEXT = '{"userId":42,"role":"admin"}';
const MAX = 100_000;

const sealer = (secrets: string[], name = 'session', max = MAX) =>
  new Sealer(new KeyRing(secrets), name, max);
const decode = (value: string) => Buffer.from(value, 'base64url');
const encode = (bytes: Buffer) => bytes.toString('base64url');

describe('Sealer', () => {
  const current = sealer([NEW, OLD]);

  it('opens what it sealed: the JSON text exactly, the times, and the index of the key', () => {
    const sealed = current.seal(JSON_TEXT, TIMES);
    expect(current.open(sealed)).toEqual({
      ...TIMES,
      json: JSON_TEXT,
      keyIndex: 0,
    });
  });

  it('gives a seal the length sealedLength predicts, starting with the version byte', () => {
    for (const json of ['{}', '{"a":1}', `{"t":"${'é'.repeat(33)}"}`]) {
      const sealed = current.seal(json, TIMES);
      expect(sealed).toHaveLength(Sealer.sealedLength(Buffer.byteLength(json)));
      expect(decode(sealed)).toHaveLength(SEAL_OVERHEAD + Buffer.byteLength(json));
      expect(decode(sealed)[0]).toBe(SEAL_VERSION);
    }
  });

  it('draws a fresh IV for every seal, so sealing the same text twice never gives the same bytes', () => {
    const ivs = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      ivs.add(
        decode(current.seal(JSON_TEXT, TIMES)).toString(
          'hex',
          HEADER_LENGTH,
          HEADER_LENGTH + IV_LENGTH,
        ),
      );
    }
    expect(ivs.size).toBe(1000);
  });

  it('keeps the data unreadable: the sealed bytes hold neither the JSON nor its values', () => {
    const bytes = decode(current.seal('{"message":"plaintext-must-not-leak"}', TIMES));
    expect(bytes.includes(Buffer.from('plaintext-must-not-leak'))).toBe(false);
  });

  it('opens a seal of an older key of the ring, reporting its index, and seals with the first key', () => {
    const older = sealer([OLD]).seal(JSON_TEXT, TIMES);
    expect(current.open(older)?.keyIndex).toBe(1);
    const fresh = current.seal(JSON_TEXT, TIMES);
    expect(sealer([NEW]).open(fresh)?.keyIndex).toBe(0);
    expect(sealer([OLD]).open(fresh)).toBeUndefined();
  });

  it('refuses a seal of a key the ring does not hold, also with the hint of a key it holds copied in', () => {
    const foreign = decode(sealer([OLD]).seal(JSON_TEXT, TIMES));
    expect(sealer([NEW]).open(encode(foreign))).toBeUndefined();
    decode(sealer([NEW]).seal('{}', TIMES)).copy(foreign, 1, 1, 5);
    expect(sealer([NEW]).open(encode(foreign))).toBeUndefined();
  });

  it('binds a seal to its cookie name: another name, a chunk name or a case change does not open it', () => {
    const sealed = sealer([NEW], 'sid').seal(JSON_TEXT, TIMES);
    expect(sealer([NEW], 'sid').open(sealed)).toBeDefined();
    for (const name of ['sid.1', 'Sid', 'sidx', 's', 'session']) {
      expect([name, sealer([NEW], name).open(sealed)]).toEqual([name, undefined]);
    }
  });

  it('authenticates every time of the header: a seal with any time changed does not open', () => {
    const bytes = decode(current.seal(JSON_TEXT, TIMES));
    for (let field = 0; field < 5; field++) {
      const changed = Buffer.from(bytes);
      const at = TIMES_OFFSET + field * TIME_LENGTH;
      changed.writeUIntBE(changed.readUIntBE(at, TIME_LENGTH) + 1, at, TIME_LENGTH);
      expect([field, current.open(encode(changed))]).toEqual([field, undefined]);
    }
  });

  it('refuses every version byte but its own, even with the rest intact', () => {
    const bytes = decode(current.seal(JSON_TEXT, TIMES));
    for (let version = 0; version < 256; version++) {
      if (version === SEAL_VERSION) continue;
      const changed = Buffer.from(bytes);
      changed[0] = version;
      expect([version, current.open(encode(changed))]).toEqual([version, undefined]);
    }
  });

  it('refuses every truncation, characters appended or prepended, and a byte removed anywhere', () => {
    const sealed = current.seal(JSON_TEXT, TIMES);
    for (let length = 0; length < sealed.length; length++) {
      expect(current.open(sealed.slice(0, length))).toBeUndefined();
      expect(current.open(sealed.slice(sealed.length - length))).toBeUndefined();
    }
    for (const extra of ['A', 'AA', 'AAAA', randomBytes(16).toString('base64url'), sealed]) {
      expect(current.open(sealed + extra)).toBeUndefined();
      expect(current.open(extra + sealed)).toBeUndefined();
    }
    const bytes = decode(sealed);
    for (let at = 0; at < bytes.length; at++) {
      const shorter = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + 1)]);
      expect(current.open(encode(shorter))).toBeUndefined();
    }
  });

  it('refuses a seal spelled in standard base64 or with a look-alike character', () => {
    let sealed = '';
    while (!/[-_A]/.test(sealed)) sealed = current.seal(JSON_TEXT, TIMES);
    expect(
      current.open(sealed.replace(/-/g, '+').replace(/_/g, '/').replace(/A/g, '\u0141')),
    ).toBeUndefined();
  });

  it('refuses a seal longer than its maximum length before decoding it', () => {
    const sealed = current.seal(JSON_TEXT, TIMES);
    expect(sealer([NEW, OLD], 'session', sealed.length).open(sealed)).toBeDefined();
    expect(sealer([NEW, OLD], 'session', sealed.length - 1).open(sealed)).toBeUndefined();
    expect(sealer([NEW, OLD], 'session', sealed.length - 1).peek(sealed)).toBeUndefined();
  });

  it('peeks at the times and the key a seal names without authenticating it', () => {
    const sealed = current.seal(JSON_TEXT, TIMES);
    expect(current.peek(sealed)).toMatchObject({ ...TIMES, keyIndex: 0 });
    expect(current.peek(sealer([OLD]).seal('{}', TIMES))?.keyIndex).toBe(1);
    expect(
      current.peek(sealer([randomBytes(32).toString('hex')]).seal('{}', TIMES))?.keyIndex,
    ).toBe(-1);
    const corrupted = decode(sealed);
    corrupted[corrupted.length - 1] ^= 1;
    expect(current.peek(encode(corrupted))).toMatchObject(TIMES);
    expect(current.open(encode(corrupted))).toBeUndefined();
  });

  it('gives undefined, never a throw, for garbage of every length', () => {
    for (let length = 0; length <= 300; length++) {
      const value = randomBytes(length).toString('base64url').slice(0, length);
      expect(current.open(value)).toBeUndefined();
      expect(() => current.peek(value)).not.toThrow();
    }
    for (const value of ['', '====', ' '.repeat(100), 'é;= +/.'.repeat(100)]) {
      expect(current.open(value)).toBeUndefined();
      expect(current.peek(value)).toBeUndefined();
    }
  });
});
