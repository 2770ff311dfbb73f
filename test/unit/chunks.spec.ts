import { randomBytes } from 'node:crypto';
import {
  COOKIE_LIMIT,
  MAX_CHUNKS,
  chunkIndex,
  chunkName,
  joinChunks,
  maxSealLength,
  splitIntoChunks,
} from '../../lib/cookie/chunks.js';
import { SessionTooLargeError } from '../../lib/errors.js';

const bytesOf = (name: string, value: string) => Buffer.byteLength(`${name}=${value}`);

/** The error `fn` throws (fails the test when it does not throw). */
function thrownBy(fn: () => unknown): SessionTooLargeError {
  try {
    fn();
  } catch (error) {
    return error as SessionTooLargeError;
  }
  throw new Error('expected a throw');
}

describe('chunkName and chunkIndex', () => {
  it('name chunk 0 after the cookie and the others name.1, name.2, … and read them back', () => {
    for (const index of [0, 1, 2]) {
      expect(chunkIndex('sid', chunkName('sid', index))).toBe(index);
    }
    expect(chunkName('sid', 2)).toBe('sid.2');
  });

  it.each([
    'session.0',
    'session.01',
    'session.x',
    'session.3',
    'session.9',
    'session.19',
    'session.20',
    'session.1000',
    'session.1.2',
    'session.',
    'session.-1',
    'sessionx',
    'xsession',
    'Session',
    'session_old',
  ])('does not take %p for a chunk of "session"', (cookieName) => {
    expect(chunkIndex('session', cookieName)).toBe(-1);
  });

  it('treats a dot in the cookie name literally', () => {
    expect(chunkIndex('a.b', 'a.b.1')).toBe(1);
    expect(chunkIndex('a.b', 'aXb.1')).toBe(-1);
    expect(chunkIndex('a.b', 'aXb')).toBe(-1);
  });
});

describe('splitIntoChunks and joinChunks', () => {
  it('keep an empty value in one cookie', () => {
    expect(splitIntoChunks('session', '', 1)).toEqual(['']);
  });

  it('keep a value in one cookie while name=value is at most 4096 bytes, and split one byte more over two', () => {
    const room = COOKIE_LIMIT - 'session='.length;
    expect(splitIntoChunks('session', 'v'.repeat(room), 3)).toEqual(['v'.repeat(room)]);
    const chunks = splitIntoChunks('session', 'v'.repeat(room + 1), 2);
    expect(chunks.map((chunk) => chunk.length)).toEqual([room, 1]);
  });

  it('split so that every chunk but the last is full, none exceeds 4096 bytes, and the join gives the value back', () => {
    for (const name of ['s', '__Host-session', 'x'.repeat(200)]) {
      for (let maxChunks = 1; maxChunks <= MAX_CHUNKS; maxChunks++) {
        const capacity = maxSealLength(name, maxChunks);
        for (const length of [0, 1, 100, 4000, 4096, 4097, 9000, capacity - 1, capacity]) {
          if (length > capacity) continue;
          const value = randomBytes(length).toString('base64url').slice(0, length);
          const chunks = splitIntoChunks(name, value, maxChunks);
          expect(chunks.length).toBeLessThanOrEqual(maxChunks);
          chunks.forEach((chunk, i) => {
            const size = bytesOf(chunkName(name, i), chunk);
            if (i < chunks.length - 1) expect(size).toBe(COOKIE_LIMIT);
            else expect(size).toBeLessThanOrEqual(COOKIE_LIMIT);
          });
          expect(joinChunks(name, chunks)).toBe(value);
        }
      }
    }
  });

  it('join ignores a stale trailing chunk after a short one (a lost clearing response)', () => {
    const value = randomBytes(6_000).toString('base64url');
    const [first, second] = splitIntoChunks('sid', value, 3);
    expect(joinChunks('sid', [first, second])).toBe(value);
    expect(joinChunks('sid', [first, second, 'stale'])).toBe(value);
    // A session that shrank to one short chunk: its old chunk 1 is not part of it.
    expect(joinChunks('sid', ['short', second])).toBe('short');
  });

  it('throw SessionTooLargeError naming the cookie, the size and the limit, exactly when the capacity is exceeded', () => {
    for (let maxChunks = 1; maxChunks <= MAX_CHUNKS; maxChunks++) {
      const capacity = maxSealLength('big', maxChunks);
      expect(splitIntoChunks('big', 'z'.repeat(capacity), maxChunks)).toHaveLength(maxChunks);
      const error = thrownBy(() => splitIntoChunks('big', 'z'.repeat(capacity + 1), maxChunks));
      expect(error).toBeInstanceOf(SessionTooLargeError);
      expect(error).toMatchObject({
        code: 'ERR_SESSION_TOO_LARGE',
        cookieName: 'big',
        maxChunks,
        limit: maxChunks * COOKIE_LIMIT,
        size: maxChunks * COOKIE_LIMIT + 1,
      });
      expect(error.message).toContain('"big"');
      expect(error.message).toContain(String(error.size));
      expect(error.message).toContain(String(error.limit));
      expect(error.message).toContain('maxChunks');
    }
  });
});
