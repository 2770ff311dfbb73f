import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

/** Whether the request reached us over HTTPS (or, with `trustProxy`, reached the proxy so). */
export function isHttps(req: IncomingMessage, trustProxy: boolean): boolean {
  if ((req.socket as TLSSocket | undefined)?.encrypted) return true;
  if (!trustProxy) return false;
  const header = req.headers['x-forwarded-proto'];
  const first = (Array.isArray(header) ? header[0] : header)?.split(',', 1)[0];
  return first?.trim().toLowerCase() === 'https';
}

/**
 * Whether the request is addressed to this machine (`localhost`, `*.localhost`, 127.0.0.0/8,
 * `[::1]`): browsers treat those origins as secure and keep Secure cookies from plain HTTP.
 */
export function isLocalhost(req: IncomingMessage): boolean {
  const host = req.headers.host;
  if (!host) return false;
  // Requests of one app nearly always carry the same Host: remember the last answer.
  if (host !== lastHost) {
    lastHost = host;
    lastHostIsLocal = hostIsLocal(host.toLowerCase());
  }
  return lastHostIsLocal;
}

let lastHost: string | undefined;
let lastHostIsLocal = false;

function hostIsLocal(host: string): boolean {
  const hostname = host.startsWith('[')
    ? host.slice(0, host.indexOf(']') + 1)
    : host.split(':', 1)[0];
  return (
    hostname === 'localhost' ||
    hostname.endsWith('.localhost') ||
    hostname === '[::1]' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)
  );
}
