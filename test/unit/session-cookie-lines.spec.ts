import { joinChunks } from '../../lib/cookie/chunks.js';
import { sealLines, type LinesInput } from '../../lib/session/session-cookie-lines.js';

const NAME = 'session';
/** Characters of a seal that fill the first cookie exactly: `session=` + value = 4096 bytes. */
const FIRST_ROOM = 4096 - `${NAME}=`.length;
const NOW = 1_800_000_000_000;
const input = (carried: string[] = [NAME], maxChunks = 2, name = NAME): LinesInput => ({
  name,
  maxChunks,
  attributes: { path: '/', httpOnly: true, secure: true, sameSite: 'lax' },
  carried,
  replaced: [],
});
const namesSet = (lines: string[]) => lines.map((line) => line.slice(0, line.indexOf('=')));
const expiring = (lines: string[]) => namesSet(lines.filter((line) => line.includes('Max-Age=0')));

describe('sealLines', () => {
  it('expires the next chunk after a full last cookie, though the request did not carry it', () => {
    const value = 'a'.repeat(FIRST_ROOM);
    const lines = sealLines(input(), value, NOW + 60_000, NOW);
    expect(namesSet(lines)).toEqual([NAME, `${NAME}.1`]);
    expect(expiring(lines)).toEqual([`${NAME}.1`]);
    // Why: a browser still holding another tab's `session.1` would have it joined to this seal.
    expect(joinChunks(NAME, [value, 'stale'])).not.toBe(value);
  });

  it('expires it once when the request carried it too, and not at all after a short last cookie', () => {
    const full = sealLines(input([NAME, `${NAME}.1`]), 'a'.repeat(FIRST_ROOM), NOW + 60_000, NOW);
    expect(expiring(full)).toEqual([`${NAME}.1`]);
    const short = sealLines(input(), 'a'.repeat(FIRST_ROOM - 1), NOW + 60_000, NOW);
    expect(namesSet(short)).toEqual([NAME]);
  });

  it('expires no chunk past the last this configuration reads (maxChunks)', () => {
    const one = sealLines(input([NAME], 1), 'a'.repeat(FIRST_ROOM), NOW + 60_000, NOW);
    expect(namesSet(one)).toEqual([NAME]);
    const twoFull = 'a'.repeat(FIRST_ROOM + 4096 - `${NAME}.1=`.length);
    const two = sealLines(input([NAME], 2), twoFull, NOW + 60_000, NOW);
    expect(namesSet(two)).toEqual([NAME, `${NAME}.1`]);
  });

  it('names the next chunk after the cookie, for any cookie name', () => {
    const name = '__Host-sid';
    const value = 'a'.repeat(4096 - `${name}=`.length);
    const lines = sealLines(input([name], 2, name), value, NOW + 60_000, NOW);
    expect(expiring(lines)).toEqual([`${name}.1`]);
  });

  it('expires no chunk past the last a session can have', () => {
    const value = 'a'.repeat(FIRST_ROOM + 2 * (4096 - `${NAME}.1=`.length)); // three full cookies
    const lines = sealLines(input([NAME], 3), value, NOW + 60_000, NOW);
    expect(namesSet(lines)).toEqual([NAME, `${NAME}.1`, `${NAME}.2`]);
    expect(expiring(lines)).toEqual([]);
  });
});
