import type { IncomingMessage } from 'node:http';
import { firstHeaderValue, isHttps, isLocalhost } from '../../lib/cookie/request-security.js';

function requestTo(
  host: string | undefined,
  extra: Partial<IncomingMessage> = {},
): IncomingMessage {
  return { headers: host === undefined ? {} : { host }, socket: {}, ...extra } as IncomingMessage;
}

describe('isLocalhost', () => {
  const local = [
    'localhost',
    'localhost:3000',
    'LOCALHOST',
    'app.localhost:8080',
    '127.0.0.1',
    '127.8.9.10:80',
    '[::1]',
    '[::1]:3000',
  ];
  const remote = [
    'example.com',
    'example.com:3000',
    'localhost.example.com',
    '128.0.0.1',
    '127.0.0.1.example.com',
    '[::2]:3000',
    '10.0.0.1',
    '',
  ];

  it.each(local)('says %s is this machine', (host) => {
    expect(isLocalhost(requestTo(host))).toBe(true);
  });

  it.each(remote)('says %s is not', (host) => {
    expect(isLocalhost(requestTo(host))).toBe(false);
  });

  it('says no when there is no Host header', () => {
    expect(isLocalhost(requestTo(undefined))).toBe(false);
  });

  it('reads the HTTP/2 :authority when there is no Host header', () => {
    const to = (authority: string) =>
      ({ headers: { ':authority': authority }, socket: {} }) as unknown as IncomingMessage;
    expect(isLocalhost(to('127.0.0.1:3000'))).toBe(true);
    expect(isLocalhost(to('example.com'))).toBe(false);
  });
});

describe('isHttps', () => {
  it('trusts an encrypted socket whatever the headers say', () => {
    const req = requestTo('example.com', { socket: { encrypted: true } as never });
    expect(isHttps(req, false)).toBe(true);
  });

  it('reads the first X-Forwarded-Proto only when the proxy is trusted', () => {
    const req = requestTo('example.com');
    req.headers['x-forwarded-proto'] = 'HTTPS, http';
    expect(isHttps(req, true)).toBe(true);
    expect(isHttps(req, false)).toBe(false);
    req.headers['x-forwarded-proto'] = 'http, https';
    expect(isHttps(req, true)).toBe(false);
    req.headers['x-forwarded-proto'] = ['http', 'https'];
    expect(isHttps(req, true)).toBe(false);
  });
});

describe('firstHeaderValue', () => {
  it('takes the first of a list or of repeated headers, trimmed', () => {
    expect(firstHeaderValue(' a , b')).toBe('a');
    expect(firstHeaderValue(['b, c', 'a'])).toBe('b');
    expect(firstHeaderValue(undefined)).toBeUndefined();
  });
});
