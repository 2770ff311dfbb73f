import type { IncomingMessage } from 'node:http';
import { chunkName, clearCookieLine, splitIntoChunks } from '../http/cookie-jar.js';
import { isHttps, isLocalhost } from '../http/request-security.js';
import type { SessionRequestOptions } from '../options/cookie-session-options.interface.js';
import { MAX_DURATION } from '../options/resolve-options.js';
import { attributesOf, type SessionContext } from './session-context.js';

/**
 * The `Set-Cookie` lines of one response: the seal split into chunk cookies with the options in
 * force, and the expiring lines for chunks the request carried that are no longer needed.
 */
export class SessionCookieLines {
  constructor(
    private readonly req: IncomingMessage,
    private readonly context: SessionContext,
    private readonly options: Readonly<SessionRequestOptions>,
    /** Every cookie of this session the request carried (`name`, `name.1`, …). */
    private readonly carried: readonly string[],
  ) {}

  /**
   * Seals `json` (a session created at `createdAt`, or now) with a fresh expiry.
   * @throws SessionTooLargeError when the seal needs more than `maxChunks` cookies.
   */
  seal(json: string, createdAt: number | undefined): string[] {
    const { options, context } = this;
    checkLifetime(options);
    const now = Date.now();
    const created = createdAt ?? now;
    let expiresAt = options.expires?.getTime() ?? now + options.maxAge;
    const { absoluteTimeout, name, maxChunks } = context.options;
    if (absoluteTimeout !== undefined) expiresAt = Math.min(expiresAt, created + absoluteTimeout);

    const value = context.codec.sealJson(json, { createdAt: created, issuedAt: now, expiresAt });
    const chunks = splitIntoChunks(name, value, maxChunks);
    // The attributes but the expiry are the same for most responses: formatted (and checked)
    // by `cookie` once, then reused. Names were checked at start-up; values are base64url.
    const tail = context.attributeTail(options, this.secure());
    const expiry = options.sessionCookie
      ? ''
      : `; Max-Age=${Math.max(0, Math.floor((expiresAt - now) / 1000))}; Expires=${httpDate(expiresAt)}`;
    const lines = chunks.map((chunk, i) => `${chunkName(name, i)}=${chunk}${expiry}${tail}`);
    return lines.concat(this.clear(chunks.length));
  }

  /** Lines expiring the carried chunks from index `from` on (stale, or all when destroyed). */
  clear(from: number): string[] {
    const { name } = this.context.options;
    const stale = this.carried.filter((n) => chunkIndex(name, n) >= from);
    if (stale.length === 0) return [];
    const attributes = attributesOf(this.options, this.secure());
    return stale.map((n) => clearCookieLine(n, attributes));
  }

  /** Names whose earlier `Set-Cookie` lines a response of `count` chunks replaces. */
  replacedNames(count: number): Set<string> {
    const names = new Set(this.carried);
    for (let i = 0; i < count; i++) names.add(chunkName(this.context.options.name, i));
    return names;
  }

  private secure(): boolean {
    const { secure, secureProxy } = this.options;
    if (secure === false) return false;
    const https = isHttps(this.req, secureProxy);
    if (secure === 'auto') return https;
    if (!https && !isLocalhost(this.req)) this.context.warnInsecureOnce(this.req.headers.host);
    return true;
  }
}

/**
 * Per-request options are plain mutable objects: check the two that decide the seal's expiry
 * before sealing, so a bad value is a clear error rather than a broken cookie.
 */
function checkLifetime(options: Readonly<SessionRequestOptions>): void {
  const { maxAge, expires } = options;
  if (expires !== undefined) {
    if (!(expires instanceof Date) || Number.isNaN(expires.getTime())) {
      throw new TypeError(
        'request.sessionOptions.expires must be a valid Date (or undefined to use maxAge)',
      );
    }
  } else if (!Number.isSafeInteger(maxAge) || maxAge <= 0 || maxAge > MAX_DURATION) {
    throw new TypeError(
      `request.sessionOptions.maxAge must be a whole number of milliseconds from 1 to ${MAX_DURATION} (got ${String(maxAge)})`,
    );
  }
}

let lastExpirySecond = NaN;
let lastExpiryText = '';

/** The `Expires` text of an instant (whole seconds, so one formatting serves a second's seals). */
function httpDate(at: number): string {
  const second = Math.floor(at / 1000);
  if (second !== lastExpirySecond) {
    lastExpirySecond = second;
    lastExpiryText = new Date(second * 1000).toUTCString();
  }
  return lastExpiryText;
}

function chunkIndex(name: string, cookieName: string): number {
  return cookieName === name ? 0 : Number(cookieName.slice(name.length + 1));
}
