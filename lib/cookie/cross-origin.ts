import type { IncomingHttpHeaders } from 'node:http';
import { firstHeaderValue, hostHeader } from './request-security.js';

/**
 * Token-free protection against cross-site request forgery, judged as Go's
 * `http.CrossOriginProtection` does: from `Sec-Fetch-Site`, or from `Origin` against `Host` for
 * browsers that do not send it. Browsers set both headers themselves and pages cannot forge them.
 */
export interface CrossOriginPolicy {
  /** Normalised origins (see `normalizeOrigin`) whose unsafe requests pass. */
  readonly trustedOrigins: ReadonlySet<string>;
  /** Take the host from `X-Forwarded-Host`: the app trusts its proxy (`secureProxy`). */
  readonly trustProxy: boolean;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const FETCH_SITES = new Set(['same-origin', 'same-site', 'cross-site', 'none']);
// scheme://authority and nothing else: no path, query, fragment, userinfo or whitespace.
const ORIGIN_SHAPE = /^https?:\/\/[^/?#@\\\s]+$/i;
// Longer than any real origin: refused before parsing.
const MAX_ORIGIN_LENGTH = 2048;

const FIX =
  'To allow it, add the origin to csrf.trustedOrigins, or mark the route with @CsrfExempt() ' +
  '(webhooks, OAuth form_post callbacks).';

/**
 * Normalises an origin for comparison: lower-case scheme and host, default port dropped (http
 * 80, https 443), IPv6 in brackets. Returns undefined when it is not an http(s) origin
 * (`scheme://host[:port]` with no path, query, fragment or userinfo).
 */
export function normalizeOrigin(value: string): string | undefined {
  if (typeof value !== 'string' || value.length > MAX_ORIGIN_LENGTH) return undefined;
  if (!ORIGIN_SHAPE.test(value)) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  // The shape above already excludes what follows; checked again on the parsed URL, so that a
  // parser that reads the text differently from the pattern cannot let an odd origin through.
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.username || url.password || url.search || url.hash || url.pathname !== '/') {
    return undefined;
  }
  if (url.hostname === '') return undefined;
  return `${url.protocol}//${url.host}`;
}

/**
 * host[:port] of a normalised origin or Host header, with ports 80 and 443 dropped: the scheme
 * is not compared (behind a TLS-terminating proxy the app sees plain HTTP), as in Go.
 */
function authority(origin: string): string {
  return origin.slice(origin.indexOf('//') + 2).replace(/:(?:80|443)$/, '');
}

/** The one value of a header, or undefined when it is absent, empty or repeated. */
function single(value: string | string[] | undefined): string | undefined {
  const one = Array.isArray(value) ? (value.length === 1 ? value[0] : undefined) : value;
  return typeof one === 'string' && one !== '' ? one : undefined;
}

/** The host the request was addressed to, normalised like an origin's. */
function requestAuthority(headers: IncomingHttpHeaders, trustProxy: boolean): string | undefined {
  let host = single(hostHeader(headers));
  if (trustProxy) {
    // A proxy may append to the header: the first value is the host the browser asked for.
    const first = firstHeaderValue(headers['x-forwarded-host']);
    if (first) host = first;
  }
  const origin = host === undefined ? undefined : normalizeOrigin(`http://${host}`);
  return origin === undefined ? undefined : authority(origin);
}

/**
 * Whether an unsafe request may pass.
 * @returns undefined when it may; otherwise why it is refused and what to change, in words safe
 * to show to any client (no header value is echoed but the four standard `Sec-Fetch-Site` ones).
 */
export function crossOriginRefusal(
  method: string,
  headers: IncomingHttpHeaders,
  policy: CrossOriginPolicy,
): string | undefined {
  return SAFE_METHODS.has(method) ? undefined : refusalByOrigin(headers, policy);
}

/**
 * The method the check judges. Method-override middleware rewrites `req.method` (a form's POST
 * routed as the `_method` it names) and keeps the method the browser sent in `originalMethod`:
 * when that one is unsafe, it is judged, so a cross-site form cannot pass as a GET.
 */
export function judgedMethod(req: { method?: string; originalMethod?: unknown }): string {
  const sent = req.originalMethod;
  return typeof sent === 'string' && !SAFE_METHODS.has(sent) ? sent : (req.method ?? '');
}

/**
 * Whether a browser page of another origin sent the request, whatever its method: a WebSocket
 * handshake is a GET whose connection the page then reads and writes (cross-site WebSocket
 * hijacking), so it is judged as an unsafe request is.
 */
export function refusalByOrigin(
  headers: IncomingHttpHeaders,
  policy: CrossOriginPolicy,
): string | undefined {
  const rawOrigin = single(headers.origin);
  const origin = rawOrigin === undefined ? undefined : normalizeOrigin(rawOrigin);
  const trusted = origin !== undefined && policy.trustedOrigins.has(origin);

  const fetchSite = headers['sec-fetch-site'];
  if (fetchSite !== undefined && fetchSite !== '') {
    if (fetchSite === 'same-origin' || fetchSite === 'none' || trusted) return undefined;
    const named =
      typeof fetchSite === 'string' && FETCH_SITES.has(fetchSite) ? fetchSite : 'an unknown value';
    return `Cross-origin request refused (Sec-Fetch-Site: ${named}). ${FIX}`;
  }
  // Old browsers, and clients that are not browsers: no Sec-Fetch-Site.
  if (headers.origin === undefined || headers.origin === '') return undefined;
  if (origin !== undefined) {
    const host = requestAuthority(headers, policy.trustProxy);
    if ((host !== undefined && authority(origin) === host) || trusted) return undefined;
  }
  return `Cross-origin request refused (Origin header from another origin). ${FIX}`;
}

const OPTION_HINTS: Record<string, string> = {
  trustedOrigin: 'it is called "trustedOrigins" (an array)',
  origins: 'it is called "trustedOrigins"',
  allowedOrigins: 'it is called "trustedOrigins"',
  exclude: 'mark the routes with @CsrfExempt() instead',
  ignore: 'mark the routes with @CsrfExempt() instead',
  ignoreMethods: 'GET, HEAD and OPTIONS always pass; other methods are what it protects',
};

function describe(value: unknown): string {
  if (typeof value === 'string')
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : String(value);
}

/**
 * The `csrf` option, checked at start-up: `true` or unset → on with no trusted origins; `false`
 * → off (undefined); `{ trustedOrigins: [...] }` → on, those origins pass.
 * @param fail throws the module's options error, naming the option and the problem.
 */
export function resolveCrossOriginOption(
  value: unknown,
  trustProxy: boolean,
  fail: (option: string, problem: string) => never,
): CrossOriginPolicy | undefined {
  if (value === false) return undefined;
  if (value === undefined || value === true) return { trustedOrigins: new Set(), trustProxy };
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return fail(
      'csrf',
      `must be true, false or { trustedOrigins: ["https://app.example.com"] } (got ${describe(value)})`,
    );
  }
  for (const key of Object.keys(value)) {
    if (key !== 'trustedOrigins') {
      const hint = Object.hasOwn(OPTION_HINTS, key) ? `: ${OPTION_HINTS[key]}` : '';
      fail(`csrf.${key}`, `is not an option of csrf (only "trustedOrigins")${hint}`);
    }
  }
  const list = (value as { trustedOrigins?: unknown }).trustedOrigins;
  if (list === undefined) return { trustedOrigins: new Set(), trustProxy };
  if (!Array.isArray(list)) {
    fail(
      'csrf.trustedOrigins',
      `must be an array of origins such as ["https://app.example.com"] (got ${describe(list)})`,
    );
  }
  const trustedOrigins = new Set<string>();
  list.forEach((entry: unknown, i) => {
    // "https://app.example.com/" is how origins are often copied from an address bar.
    const text = typeof entry === 'string' && entry.endsWith('/') ? entry.slice(0, -1) : entry;
    const origin = typeof text === 'string' ? normalizeOrigin(text) : undefined;
    if (origin === undefined) {
      const wildcard = entry === '*' ? '; to let every origin through, set csrf: false' : '';
      fail(
        `csrf.trustedOrigins[${i}]`,
        `must be an origin such as "https://app.example.com" (got ${describe(entry)})${wildcard}`,
      );
    }
    trustedOrigins.add(origin);
  });
  return { trustedOrigins, trustProxy };
}
