import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

/** The first value of a header that may be repeated or a comma-separated list. */
export function firstHeaderValue(value: string | string[] | undefined): string | undefined {
  const first: unknown = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first.split(',', 1)[0].trim() : undefined;
}

/**
 * The host a request was addressed to, as the client sent it: HTTP/2 carries it in the
 * `:authority` pseudo-header (a Host header is optional there), HTTP/1 in Host. A request line
 * of HTTP/1 cannot carry a header of that name.
 */
export function hostHeader(headers: IncomingHttpHeaders): string | string[] | undefined {
  return headers[':authority'] ?? headers.host;
}

/** Whether the request reached us over HTTPS (or, with `trustProxy`, reached the proxy so). */
export function isHttps(req: IncomingMessage, trustProxy: boolean): boolean {
  if ((req.socket as TLSSocket | undefined)?.encrypted) return true;
  if (!trustProxy) return false;
  return firstHeaderValue(req.headers['x-forwarded-proto'])?.toLowerCase() === 'https';
}

/**
 * Whether the request is addressed to this machine (`localhost`, `*.localhost`, 127.0.0.0/8,
 * `[::1]`): browsers treat those origins as secure and keep Secure cookies from plain HTTP.
 */
export function isLocalhost(req: IncomingMessage): boolean {
  const host = hostHeader(req.headers);
  if (typeof host !== 'string' || host === '') return false;
  const lower = host.toLowerCase();
  const hostname = lower.startsWith('[')
    ? lower.slice(0, lower.indexOf(']') + 1)
    : lower.split(':', 1)[0];
  return (
    hostname === 'localhost' ||
    hostname.endsWith('.localhost') ||
    hostname === '[::1]' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)
  );
}
