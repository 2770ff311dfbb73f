import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import {
  COOKIE_LIMIT,
  appendSetCookies,
  chunkName,
  clearCookieLine,
  readSessionCookie,
  setCookieLine,
  splitIntoChunks,
} from '../../lib/http/cookie-jar.js';
import { SessionTooLargeError } from '../../lib/session-too-large.error.js';

const bytesOf = (name: string, value: string) => Buffer.byteLength(`${name}=${value}`);

/** The error `fn` throws (fails the test when it does not throw). */
function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

function response(): ServerResponse {
  return new ServerResponse(new IncomingMessage(new Socket()));
}

describe('cookie-jar', () => {
  describe('chunkName', () => {
    it('names chunk 0 after the cookie and the others name.1, name.2, …', () => {
      expect([0, 1, 2, 19].map((i) => chunkName('sid', i))).toEqual([
        'sid',
        'sid.1',
        'sid.2',
        'sid.19',
      ]);
    });
  });

  describe('readSessionCookie', () => {
    it('finds nothing without a header, or in a header without the cookie', () => {
      for (const header of [undefined, '', 'other=1', 'a=b; c=d']) {
        expect(readSessionCookie(header, 'session', 3)).toEqual({
          value: undefined,
          parts: [],
          names: [],
        });
      }
    });

    it('reads a single cookie among others', () => {
      expect(readSessionCookie('a=1; session=abc; b=2', 'session', 1)).toEqual({
        value: 'abc',
        parts: ['abc'],
        names: ['session'],
      });
    });

    it('joins name, name.1 and name.2 in order, whatever their order in the header', () => {
      const header = 'session.2=ghi; x=1; session=abc; session.1=def';
      const read = readSessionCookie(header, 'session', 3);
      expect(read.value).toBe('abcdefghi');
      expect(read.parts).toEqual(['abc', 'def', 'ghi']);
      expect([...read.names].sort()).toEqual(['session', 'session.1', 'session.2']);
    });

    it('joins no more than maxChunks cookies, but lists the stale chunks beyond them', () => {
      const header = 'session=abc; session.1=def; session.2=ghi; session.7=zzz';
      const read = readSessionCookie(header, 'session', 2);
      expect(read.value).toBe('abcdef');
      expect([...read.names].sort()).toEqual(['session', 'session.1', 'session.2', 'session.7']);
      expect(readSessionCookie(header, 'session', 1).value).toBe('abc');
    });

    it('stops joining at the first missing chunk', () => {
      const read = readSessionCookie('session=abc; session.2=ghi; session.3=jkl', 'session', 4);
      expect(read.value).toBe('abc');
      expect([...read.names].sort()).toEqual(['session', 'session.2', 'session.3']);
    });

    it('has no value when the first cookie is missing, but still lists the chunks to clear', () => {
      expect(readSessionCookie('session.1=def; session.2=ghi', 'session', 3)).toEqual({
        value: undefined,
        parts: [],
        names: ['session.1', 'session.2'],
      });
    });

    it('takes the first occurrence of a name that appears twice', () => {
      expect(readSessionCookie('session=first; session=second', 'session', 1).value).toBe('first');
      expect(
        readSessionCookie('session=a; session.1=b; session.1=evil; session=evil', 'session', 2)
          .value,
      ).toBe('ab');
    });

    it('does not decode %XX sequences, and does not throw on broken ones', () => {
      expect(readSessionCookie('session=a%41b%20c', 'session', 1).value).toBe('a%41b%20c');
      expect(readSessionCookie('session=%E0%A4%A', 'session', 1).value).toBe('%E0%A4%A');
    });

    it('ignores cookies whose names only look like chunks', () => {
      const header =
        'session.0=a; session.01=b; session.x=c; session.1000=d; session.1.2=e; sessionx=f; xsession=g; session.-1=h; session=v';
      expect(readSessionCookie(header, 'session', 20).names).toEqual(['session']);
      expect(readSessionCookie(header, 'session', 20).value).toBe('v');
    });

    it('lists only chunk numbers the library can write (1 to 19), whatever else is sent', () => {
      expect(
        readSessionCookie('session=a; session.19=y; session.20=z; session.999=z', 'session', 20)
          .names,
      ).toEqual(['session', 'session.19']);
    });

    it('does not confuse a cookie whose name starts with the session name', () => {
      expect(readSessionCookie('session_old=abc; sess=x', 'sess', 1)).toEqual({
        value: 'x',
        parts: ['x'],
        names: ['sess'],
      });
      expect(readSessionCookie('sessionid=abc', 'session', 1)).toEqual({
        value: undefined,
        parts: [],
        names: [],
      });
    });

    it('treats a dot in the cookie name literally', () => {
      const read = readSessionCookie('a.b=1; a.b.1=2; aXb=3; aXb.1=4', 'a.b', 2);
      expect(read).toEqual({ value: '12', parts: ['1', '2'], names: ['a.b', 'a.b.1'] });
    });

    it('trims the blanks around names and values, as browsers send them', () => {
      expect(readSessionCookie('  session =  abc  ;session.1=def', 'session', 2).value).toBe(
        'abcdef',
      );
    });

    it('keeps an empty chunk in the join', () => {
      expect(readSessionCookie('session=abc; session.1=; session.2=ghi', 'session', 3).value).toBe(
        'abcghi',
      );
    });
  });

  describe('splitIntoChunks', () => {
    it('keeps an empty value in one cookie', () => {
      expect(splitIntoChunks('session', '', 1)).toEqual(['']);
    });

    it('keeps a value in one cookie while name=value is at most 4096 bytes', () => {
      const room = COOKIE_LIMIT - 'session='.length;
      const value = 'v'.repeat(room);
      expect(bytesOf('session', value)).toBe(COOKIE_LIMIT);
      expect(splitIntoChunks('session', value, 1)).toEqual([value]);
      expect(splitIntoChunks('session', value, 5)).toEqual([value]);
    });

    it('splits a value one byte too long for one cookie over two', () => {
      const value = randomBytes(4000)
        .toString('base64url')
        .slice(0, COOKIE_LIMIT - 'session='.length + 1);
      const chunks = splitIntoChunks('session', value, 2);
      expect(chunks).toHaveLength(2);
      expect(bytesOf('session', chunks[0])).toBe(COOKIE_LIMIT);
      expect(chunks[1]).toHaveLength(1);
      expect(chunks.join('')).toBe(value);
    });

    it('splits so that every name_i=value_i fits in 4096 bytes and the chunks join back to the value', () => {
      for (const name of ['s', 'session', 'x'.repeat(200)]) {
        for (const maxChunks of [1, 2, 3, 7, 20]) {
          const capacity = Array.from(
            { length: maxChunks },
            (_, i) => COOKIE_LIMIT - chunkName(name, i).length - 1,
          ).reduce((a, b) => a + b);
          for (const length of [0, 1, 100, 4000, 4095, 4096, 4097, 9000, capacity - 1, capacity]) {
            if (length > capacity) continue;
            const value = 'q'.repeat(length);
            const chunks = splitIntoChunks(name, value, maxChunks);
            expect(chunks.length).toBeLessThanOrEqual(maxChunks);
            expect(chunks.join('')).toBe(value);
            chunks.forEach((chunk, i) =>
              expect(bytesOf(chunkName(name, i), chunk)).toBeLessThanOrEqual(COOKIE_LIMIT),
            );
            chunks
              .slice(0, -1)
              .forEach((chunk, i) => expect(bytesOf(chunkName(name, i), chunk)).toBe(COOKIE_LIMIT));
            if (length > 0) expect(chunks[chunks.length - 1].length).toBeGreaterThan(0);
          }
        }
      }
    });

    it('gives chunks that readSessionCookie joins back into the value', () => {
      const value = randomBytes(10_000).toString('base64url');
      const chunks = splitIntoChunks('sid', value, 5);
      const header = chunks.map((chunk, i) => `${chunkName('sid', i)}=${chunk}`).join('; ');
      expect(readSessionCookie(header, 'sid', 5).value).toBe(value);
    });

    it('throws SessionTooLargeError naming the cookie, the size and the limit when one cookie is not enough', () => {
      const value = 'v'.repeat(COOKIE_LIMIT - 'session='.length + 1);
      const error = thrownBy(() => splitIntoChunks('session', value, 1)) as SessionTooLargeError;
      expect(error).toBeInstanceOf(SessionTooLargeError);
      expect(error.name).toBe('SessionTooLargeError');
      expect(error.code).toBe('ERR_SESSION_TOO_LARGE');
      expect(error.cookieName).toBe('session');
      expect(error.size).toBe(bytesOf('session', value));
      expect(error.limit).toBe(COOKIE_LIMIT);
      expect(error.maxChunks).toBe(1);
      expect(error.size).toBeGreaterThan(error.limit);
      expect(error.message).toContain('"session"');
      expect(error.message).toContain(String(error.size));
      expect(error.message).toContain(String(error.limit));
      expect(error.message).toContain('maxChunks');
    });

    it('throws SessionTooLargeError when more than maxChunks cookies would be needed, and not at exactly maxChunks', () => {
      for (const maxChunks of [1, 2, 3, 5, 20]) {
        const names = Array.from(
          { length: maxChunks },
          (_, i) => chunkName('big', i).length + 1,
        ).reduce((a, b) => a + b);
        const capacity = maxChunks * COOKIE_LIMIT - names;
        expect(splitIntoChunks('big', 'z'.repeat(capacity), maxChunks)).toHaveLength(maxChunks);
        const error = thrownBy(() =>
          splitIntoChunks('big', 'z'.repeat(capacity + 1), maxChunks),
        ) as SessionTooLargeError;
        expect(error).toBeInstanceOf(SessionTooLargeError);
        expect(error.cookieName).toBe('big');
        expect(error.maxChunks).toBe(maxChunks);
        expect(error.limit).toBe(maxChunks * COOKIE_LIMIT);
        expect(error.size).toBe(error.limit + 1);
        expect(error.message).toContain(String(error.size));
        expect(error.message).toContain(String(error.limit));
      }
    });

    it('reports a size that grows with the value', () => {
      const small = thrownBy(() =>
        splitIntoChunks('s', 'a'.repeat(5000), 1),
      ) as SessionTooLargeError;
      const large = thrownBy(() =>
        splitIntoChunks('s', 'a'.repeat(50_000), 1),
      ) as SessionTooLargeError;
      expect(large.size - small.size).toBe(45_000);
      expect(large.limit).toBe(small.limit);
    });
  });

  describe('setCookieLine and clearCookieLine', () => {
    it('writes the value as it is, with the attributes', () => {
      const line = setCookieLine('session', 'ab-_9', {
        path: '/',
        httpOnly: true,
        secure: true,
        sameSite: 'lax',
      });
      expect(line).toBe('session=ab-_9; Path=/; HttpOnly; Secure; SameSite=Lax');
    });

    it('expires the cookie at once, with the same path and domain', () => {
      const line = clearCookieLine('session.1', { path: '/app', domain: 'example.com' });
      expect(line).toMatch(/^session\.1=;/);
      expect(line).toContain('Max-Age=0');
      expect(line).toContain('Expires=Thu, 01 Jan 1970 00:00:00 GMT');
      expect(line).toContain('Path=/app');
      expect(line).toContain('Domain=example.com');
    });

    it('lets clearCookieLine win over an expiry in the attributes', () => {
      const line = clearCookieLine('session', {
        path: '/',
        maxAge: 3600,
        expires: new Date(Date.UTC(2100, 0, 1)),
      });
      expect(line).toContain('Max-Age=0');
      expect(line).not.toContain('2100');
    });
  });

  describe('appendSetCookies', () => {
    it('sets the lines when nothing was queued', () => {
      const res = response();
      appendSetCookies(res, ['session=abc; Path=/']);
      expect(res.getHeader('set-cookie')).toEqual(['session=abc; Path=/']);
    });

    it('keeps the cookies others queued, a single line or several, and adds its own after them', () => {
      const single = response();
      single.setHeader('set-cookie', 'theme=dark');
      appendSetCookies(single, ['session=abc']);
      expect(single.getHeader('set-cookie')).toEqual(['theme=dark', 'session=abc']);

      const several = response();
      several.setHeader('set-cookie', ['a=1', 'b=2']);
      appendSetCookies(several, ['session=abc', 'session.1=def']);
      expect(several.getHeader('set-cookie')).toEqual([
        'a=1',
        'b=2',
        'session=abc',
        'session.1=def',
      ]);
    });

    it('keeps earlier lines of the same name without a replace set', () => {
      const res = response();
      res.setHeader('set-cookie', ['session=old']);
      appendSetCookies(res, ['session=new']);
      expect(res.getHeader('set-cookie')).toEqual(['session=old', 'session=new']);
    });

    it('drops earlier lines of the names in the replace set, and only those', () => {
      const res = response();
      res.setHeader('set-cookie', [
        'session=old; Path=/',
        'theme=dark',
        'session.1=oldchunk',
        'session.2=stale',
        'sessionx=keep',
        'other=session=1',
        ' session = spaced',
      ]);
      appendSetCookies(
        res,
        ['session=new', 'session.1=newchunk'],
        new Set(['session', 'session.1', 'session.2']),
      );
      expect(res.getHeader('set-cookie')).toEqual([
        'theme=dark',
        'sessionx=keep',
        'other=session=1',
        'session=new',
        'session.1=newchunk',
      ]);
    });

    it('does not mutate the array it found on the response', () => {
      const res = response();
      const queued = ['session=old'];
      res.setHeader('set-cookie', queued);
      appendSetCookies(res, ['session=new'], new Set(['session']));
      expect(res.getHeader('set-cookie')).toEqual(['session=new']);
      expect(queued).toEqual(['session=old']);
    });
  });
});
