import { cookieHeaderFrom, findCookies } from '../../lib/cookie/cookie-header.js';

const only =
  (...names: string[]) =>
  (name: string) =>
    names.includes(name);
const find = (header: string | undefined, ...names: string[]) =>
  Object.fromEntries(findCookies(header, only(...names)));

describe('findCookies', () => {
  it('finds nothing without a header, or in a header without the names asked for', () => {
    for (const header of [undefined, '', 'other=1', 'a=b; c=d', ';;;', '=;=']) {
      expect(find(header, 'session')).toEqual({});
    }
  });

  it('keeps only the names asked for, in any position', () => {
    expect(find('a=1; session=abc; b=2', 'session')).toEqual({ session: ['abc'] });
    expect(find('session=abc', 'session', 'x')).toEqual({ session: ['abc'] });
  });

  it('does not match a name inside another cookie name or value', () => {
    const header = 'xsession=1; session_old=2; other=session=3; q="session=4"; a=b session=5';
    expect(find(header, 'session')).toEqual({});
  });

  it('skips pieces without "=" wherever they are, and reads the pairs between and after them', () => {
    const pieces = Array(2000).fill('flag').join('; ');
    expect(find(`${pieces}; session=a; ${pieces}; x=1; ${pieces}`, 'session', 'x')).toEqual({
      session: ['a'],
      x: ['1'],
    });
    expect(find(`session; flag; session=b; =; session`, 'session')).toEqual({ session: ['b'] });
    expect(find(`${pieces}`, 'flag')).toEqual({});
  });

  it('lists every value of a name that comes more than once, in order', () => {
    expect(find('session=first; a=1; session=second', 'session')).toEqual({
      session: ['first', 'second'],
    });
  });

  it('trims the blanks around names and values, as browsers send them', () => {
    expect(find('  session =  abc  ;session.1=def', 'session', 'session.1')).toEqual({
      session: ['abc'],
      'session.1': ['def'],
    });
  });

  it('drops only spaces and tabs around a name or value: a name with any other blank is another name', () => {
    expect(find('\t session\t=\tabc \t', 'session')).toEqual({ session: ['abc'] });
    // Node reads header bytes as latin1: a 0xA0 byte is a no-break space, which String#trim drops.
    for (const blank of ['\u00a0', '\u000b', '\u000c', '\u2000', '\ufeff']) {
      expect(find(`${blank}__Host-session=tossed`, '__Host-session')).toEqual({});
      expect(find(`a=1; ${blank}__Host-session=tossed`, '__Host-session')).toEqual({});
      expect(find(`__Host-session${blank}=tossed`, '__Host-session')).toEqual({});
      expect(find(`__Host-session=abc${blank}`, '__Host-session')).toEqual({
        '__Host-session': [`abc${blank}`],
      });
    }
  });

  it('keeps a value verbatim: no %XX decoding, an "=" inside kept, an empty value kept', () => {
    expect(find('session=a%41b=c; e=', 'session', 'e')).toEqual({
      session: ['a%41b=c'],
      e: [''],
    });
  });

  it('skips a pair without "=" and never reads past the pair it is in', () => {
    expect(find('session; a=1; session=ok', 'session', 'a')).toEqual({
      a: ['1'],
      session: ['ok'],
    });
  });

  it('does not ask about names that are not at a cookie boundary', () => {
    const asked: string[] = [];
    findCookies('a=session; b=x=session', (name) => {
      asked.push(name);
      return false;
    });
    expect(asked).toEqual(['a', 'b']);
  });
});

describe('cookieHeaderFrom', () => {
  const NOW = Date.UTC(2030, 0, 1);
  const PAST = 'Thu, 01 Jan 1970 00:00:00 GMT';
  const FUTURE = 'Wed, 01 Jan 2031 00:00:00 GMT';

  it('gives a Cookie header, or undefined, as it is', () => {
    expect(cookieHeaderFrom('a=1; b=2', NOW)).toBe('a=1; b=2');
    expect(cookieHeaderFrom(undefined, NOW)).toBeUndefined();
  });

  it("reads Set-Cookie lines as the Cookie header a client sends back: each line's name=value", () => {
    const lines = [`sid=abc; Max-Age=60; Expires=${FUTURE}; Path=/; HttpOnly`, 'theme=dark'];
    expect(cookieHeaderFrom(lines, NOW)).toBe('sid=abc; theme=dark');
    expect(cookieHeaderFrom([], NOW)).toBe('');
  });

  it('leaves out a cookie a line expires, also one set by an earlier line', () => {
    for (const expiry of ['Max-Age=0', 'max-age=-1', `Expires=${PAST}`]) {
      expect(cookieHeaderFrom(['sid=abc', `sid=old; ${expiry}`, 'theme=dark'], NOW)).toBe(
        'theme=dark',
      );
    }
    // Max-Age wins over Expires, as in browsers.
    expect(cookieHeaderFrom([`sid=abc; Max-Age=60; Expires=${PAST}`], NOW)).toBe('sid=abc');
  });

  it('reads Max-Age and Expires as browsers do: invalid values ignored, the last valid one counts', () => {
    // An empty or non-numeric Max-Age is ignored: the cookie stays, or Expires decides.
    expect(cookieHeaderFrom(['sid=abc; Max-Age='], NOW)).toBe('sid=abc');
    expect(cookieHeaderFrom([`sid=abc; Max-Age=soon; Expires=${PAST}`], NOW)).toBe('');
    expect(cookieHeaderFrom(['sid=abc; Max-Age=1e3'], NOW)).toBe('sid=abc');
    expect(cookieHeaderFrom(['sid=abc; Expires=not a date'], NOW)).toBe('sid=abc');
    for (const notADate of ['0', '1', '-1']) {
      expect(cookieHeaderFrom([`sid=abc; Expires=${notADate}`], NOW)).toBe('sid=abc');
    }
    // The last valid Max-Age wins.
    expect(cookieHeaderFrom(['sid=abc; Max-Age=60; Max-Age=0'], NOW)).toBe('');
    expect(cookieHeaderFrom(['sid=abc; Max-Age=0; Max-Age=60'], NOW)).toBe('sid=abc');
  });

  it('keeps the last value of a name set twice', () => {
    expect(cookieHeaderFrom(['sid=first', 'sid=second'], NOW)).toBe('sid=second');
  });

  it('throws a TypeError saying what it takes for anything else', () => {
    for (const wrong of [null, 42, { cookie: 'a=b' }, ['a=b', 1]]) {
      expect(() => cookieHeaderFrom(wrong, NOW)).toThrow(
        new TypeError(
          'Expected a Cookie header (a string), Set-Cookie lines (an array of strings) or undefined',
        ),
      );
    }
  });
});
