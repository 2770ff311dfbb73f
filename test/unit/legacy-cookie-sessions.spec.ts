import { inspect } from 'node:util';
import { CookieSessionsReader } from '../../lib/legacy/cookie-sessions-reader.js';
import { asSentByBrowser, writeCookieSessionsValue } from '../legacy/cookie-sessions-format.js';

const SECRET = 'an old cookie-sessions secret 32';
const OTHER_SECRET = 'another secret, also 32 bytes...';
const NOW = Date.UTC(2026, 2, 1, 12);
const DAY = 86_400_000;
const DATA = { user: { id: 7, name: 'Grace' } };

const only = (name: string, value: string) => (cookie: string) =>
  cookie === name ? value : undefined;
const reader = (options: { name?: string; timeout?: number } = {}) =>
  new CookieSessionsReader({ secret: SECRET, ...options });
const valid = (time = NOW - 1000) => writeCookieSessionsValue(SECRET, DATA, time);

/** `value` with one hex digit of part `index` (0 ciphertext, 1 IV, 2 tag) changed. */
function tamper(value: string, index: number): string {
  const parts = value.split('$');
  const part = parts[index];
  parts[index] = (part[0] === '0' ? '1' : '0') + part.slice(1);
  return parts.join('$');
}

describe('CookieSessionsReader', () => {
  it('reads a valid cookie under the default name "_node"', () => {
    const sessions = reader();
    expect(sessions.read(only('_node', valid()), NOW)).toEqual({ data: DATA });
    expect(sessions).toMatchObject({ names: ['_node'], scope: { path: '/' } });
  });

  it('reads the value as the browser sends it, with "$" percent-encoded', () => {
    const sent = asSentByBrowser(valid());
    expect(sent).toMatch(/^[0-9a-f]+%24[0-9a-f]{32}%24[0-9a-f]{32}$/);
    expect(reader().read(only('_node', sent), NOW)?.data).toEqual(DATA);
  });

  it('reads a cookie under the name the old app used', () => {
    const r = reader({ name: 'session_data' });
    expect(r.names).toEqual(['session_data']);
    expect(r.read(only('session_data', valid()), NOW)?.data).toEqual(DATA);
    expect(r.read(only('_node', valid()), NOW)).toBeUndefined();
  });

  it('reads a cookie made with a Buffer secret', () => {
    const secret = Buffer.alloc(32, 0xa5);
    const value = writeCookieSessionsValue(secret, DATA, NOW);
    expect(new CookieSessionsReader({ secret }).read(only('_node', value), NOW)?.data).toEqual(
      DATA,
    );
  });

  it.each([
    ['ciphertext', 0],
    ['IV', 1],
    ['tag', 2],
  ])('refuses a cookie whose %s was changed', (_part, index) => {
    const value = valid();
    expect(reader().read(only('_node', value), NOW)?.data).toEqual(DATA);
    expect(reader().read(only('_node', tamper(value, index)), NOW)).toBeUndefined();
  });

  it('refuses a cookie once its time stamp plus the timeout has passed', () => {
    const value = valid(NOW - DAY);
    expect(reader().read(only('_node', value), NOW - 1)?.data).toEqual(DATA);
    expect(reader().read(only('_node', value), NOW)).toBeUndefined();
  });

  it('counts the expiry from the configured timeout', () => {
    const value = valid(NOW - 2 * 60_000);
    expect(reader({ timeout: 3 * 60_000 }).read(only('_node', value), NOW)?.data).toEqual(DATA);
    expect(reader({ timeout: 60_000 }).read(only('_node', value), NOW)).toBeUndefined();
  });

  it('refuses a time stamp more than a minute ahead of the clock', () => {
    expect(reader().read(only('_node', valid(NOW + 60_000)), NOW)?.data).toEqual(DATA);
    expect(reader().read(only('_node', valid(NOW + 60_001)), NOW)).toBeUndefined();
  });

  it('refuses a cookie made under another secret', () => {
    const value = writeCookieSessionsValue(OTHER_SECRET, DATA, NOW);
    expect(reader().read(only('_node', value), NOW)).toBeUndefined();
  });

  it('accepts upper-case hex, which decodes to the same bytes', () => {
    expect(reader().read(only('_node', valid().toUpperCase()), NOW)?.data).toEqual(DATA);
  });

  it.each([
    ['a character outside hex', (v: string) => `x${v.slice(1)}`],
    ['an odd number of ciphertext digits', (v: string) => v.slice(1)],
    ['an empty ciphertext', (v: string) => v.slice(v.indexOf('$'))],
    ['a fourth part', (v: string) => `${v}$00`],
    ['a missing tag', (v: string) => v.slice(0, v.lastIndexOf('$'))],
    ['another percent escape', (v: string) => v.replace('$', '%25')],
    ['a percent-encoded digit', (v: string) => `%3${v.slice(1)}`],
    ['white space', (v: string) => ` ${v}`],
  ])('refuses a value with %s', (_label, change) => {
    expect(reader().read(only('_node', change(valid())), NOW)).toBeUndefined();
  });

  it.each([12, 15, 17])('refuses an IV of %i bytes', (length) => {
    const value = writeCookieSessionsValue(SECRET, DATA, NOW, Buffer.alloc(length, 1));
    expect(value.split('$')[1]).toHaveLength(2 * length);
    expect(reader().read(only('_node', value), NOW)).toBeUndefined();
  });

  it('refuses a shortened tag', () => {
    const value = valid();
    expect(reader().read(only('_node', value.slice(0, -2)), NOW)).toBeUndefined();
  });

  it.each([
    ['data that is not an object', [1, 2], NOW],
    ['null data', null, NOW],
    ['no data', undefined, NOW],
    ['a time that is not a number', DATA, String(NOW)],
    ['no time', DATA, undefined],
  ])('refuses an authentic cookie holding %s', (_label, data, time) => {
    const value = writeCookieSessionsValue(SECRET, data, time as number);
    expect(reader().read(only('_node', value), NOW)).toBeUndefined();
  });

  it('refuses a value longer than 8192 characters', () => {
    const long = valid().replace('$', `${'0'.repeat(8192)}$`);
    expect(reader().read(only('_node', long), NOW)).toBeUndefined();
  });

  it('answers undefined when reading the cookie throws', () => {
    const failing = () => {
      throw new Error('unreadable header');
    };
    expect(reader().read(failing, NOW)).toBeUndefined();
  });

  it('refuses to be built with a secret that is not 32 bytes', () => {
    expect(() => new CookieSessionsReader({ secret: 'short' })).toThrow(RangeError);
  });

  it('keeps its secret out of util.inspect and JSON.stringify', () => {
    const r = reader();
    const views = [inspect(r, { depth: Infinity, showHidden: true }), JSON.stringify(r), String(r)];
    for (const view of views) {
      expect(view).not.toContain(SECRET);
      expect(view).not.toContain(Buffer.from(SECRET).toString('hex'));
      expect(view).not.toContain(Buffer.from(SECRET).toString('hex').match(/../g)!.join(' '));
    }
    expect(views[0]).toContain('_node');
  });
});
