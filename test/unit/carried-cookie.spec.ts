import { randomBytes } from 'node:crypto';
import { chunkName, splitIntoChunks } from '../../lib/cookie/chunks.js';
import { readCarriedCookie } from '../../lib/session/carried-cookie.js';

const NONE = new Set<string>();
const READ_AT = 1_800_000_000_000;
const read = (header: string | undefined, maxChunks = 3, legacy = NONE) =>
  readCarriedCookie(header, 'session', maxChunks, legacy, READ_AT);
const headerOf = (name: string, chunks: string[]) =>
  chunks.map((chunk, i) => `${chunkName(name, i)}=${chunk}`).join('; ');

describe('readCarriedCookie', () => {
  it('finds nothing without a header, or in a header without the cookie or its chunks', () => {
    for (const header of [undefined, '', 'other=1', 'sessionx=1', 'xsession=1; a=session']) {
      expect(read(header)).toBeUndefined();
    }
  });

  it('reads a single cookie among others', () => {
    expect(read('a=1; session=abc; b=2')).toEqual({
      seal: 'abc',
      names: ['session'],
      duplicated: false,
      legacy: new Map(),
      legacyNames: [],
      readAt: READ_AT,
    });
  });

  it('joins the chunks by name, whatever their order in the header', () => {
    const value = randomBytes(5_000).toString('base64url');
    const [a, b] = splitIntoChunks('session', value, 3);
    const carried = read(`session.1=${b}; x=1; session=${a}`);
    expect(carried?.seal).toBe(value);
    expect([...carried!.names].sort()).toEqual(['session', 'session.1']);
  });

  it('joins no more than maxChunks cookies, but lists every chunk the library can have written, to clear', () => {
    const value = randomBytes(9_000).toString('base64url');
    const header = `${headerOf('session', splitIntoChunks('session', value, 3))}; session.7=zz`;
    const one = read(header, 1);
    expect(one?.seal).toBe(value.slice(0, 4096 - 'session='.length));
    // session.7 was never written by any configuration (at most 3 chunks): not ours to clear.
    expect([...one!.names].sort()).toEqual(['session', 'session.1', 'session.2']);
  });

  it('ignores a stale trailing chunk after a short one', () => {
    expect(read('session=short; session.1=stale')?.seal).toBe('short');
  });

  it('has no seal when the first cookie is missing, but lists the chunks to clear', () => {
    expect(read('session.1=def; session.2=ghi')).toMatchObject({
      seal: undefined,
      names: ['session.1', 'session.2'],
    });
  });

  it.each([
    ['the cookie twice', 'session=first; session=second'],
    ['the cookie twice, one empty', 'session=; session=abc'],
    ['a chunk twice', 'session=a; session.1=b; session.1=evil'],
    ['the cookie twice among others', 'a=1; session=x; b=2; session=x'],
  ])('reads nothing from a request carrying %s', (_, header) => {
    expect(read(header)).toMatchObject({ seal: undefined, duplicated: true });
  });

  it('does not match the name inside another cookie name or value', () => {
    expect(read('xsession=1; a=session=2; session_old=3; b="session=4"')).toBeUndefined();
    expect(read('Session=1; SESSION=2')).toBeUndefined();
  });

  it("reads a replaced library's cookies by name, also without a session cookie", () => {
    const legacy = new Set(['express:sess', 'express:sess.sig']);
    const carried = read('express:sess=e30=; express:sess.sig=abc', 1, legacy);
    expect(carried).toMatchObject({
      seal: undefined,
      names: [],
      duplicated: false,
      legacyNames: ['express:sess', 'express:sess.sig'],
    });
    expect(Object.fromEntries(carried!.legacy)).toEqual({
      'express:sess': 'e30=',
      'express:sess.sig': 'abc',
    });
  });

  it("reads none of a replaced library's cookies when one of them came twice", () => {
    const legacy = new Set(['express:sess', 'express:sess.sig']);
    const tossed =
      'express:sess=e30=; express:sess.sig=abc; express:sess=eyJ9; express:sess.sig=def';
    // Nothing to read, but the names are kept: a response that writes the session expires them.
    for (const header of [
      tossed,
      'express:sess=e30=; express:sess.sig=abc; express:sess.sig=def',
    ]) {
      const carried = read(header, 1, legacy);
      expect(carried?.legacy.size).toBe(0);
      expect(carried?.legacyNames).toEqual(['express:sess', 'express:sess.sig']);
    }
    // Beside a session cookie: the session cookie is read, the replaced library's are not.
    const carried = read(`session=xyz; ${tossed}`, 1, legacy);
    expect(carried).toMatchObject({ seal: 'xyz', names: ['session'], duplicated: false });
    expect(carried!.legacy.size).toBe(0);
  });

  it("reads no replaced library's cookie when the session cookie came twice", () => {
    const legacy = new Set(['express:sess', 'express:sess.sig']);
    const carried = read(
      'session=a; session=b; express:sess=e30=; express:sess.sig=abc',
      1,
      legacy,
    );
    expect(carried).toMatchObject({ seal: undefined, duplicated: true });
    expect(carried!.legacy.size).toBe(0);
    expect(carried!.legacyNames).toEqual(['express:sess', 'express:sess.sig']);
  });
});
