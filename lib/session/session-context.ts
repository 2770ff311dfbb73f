import { Logger } from '@nestjs/common';
import type { SerializeOptions } from 'cookie';
import { setCookieLine } from '../http/cookie-jar.js';
import { SessionCodec } from '../crypto/session-codec.js';
import type {
  CookieSessionOptions,
  SessionRequestOptions,
} from '../options/cookie-session-options.interface.js';

/**
 * What every request of one application shares: the validated options, the codec built from
 * them, and the one-time warnings already given.
 */
export class SessionContext {
  readonly codec: SessionCodec;
  /** The per-request defaults: what `request.sessionOptions` starts as (no secrets in it). */
  readonly requestDefaults: Readonly<SessionRequestOptions>;
  private warnedInsecure = false;
  /** The attribute text of the module's own options, without and with `Secure`. */
  private readonly defaultTails: [string | undefined, string | undefined] = [undefined, undefined];
  private lastAttributes: SerializeOptions | undefined;
  private lastTail = '';

  /** @throws CookieSessionOptionsError when the options are invalid. */
  constructor(
    options: CookieSessionOptions,
    readonly logger: Pick<Logger, 'warn' | 'error'> = new Logger('CookieSession'),
  ) {
    this.codec = new SessionCodec(options);
    const { keys, absoluteTimeout, maxChunks, ...cookie } = this.codec.options;
    this.requestDefaults = Object.freeze(cookie);
  }

  get options() {
    return this.codec.options;
  }

  /**
   * `; Path=/; HttpOnly; Secure; SameSite=Lax`-style text for these options, formatted and
   * checked by `cookie` — once for the module's (frozen) options, and for a request's own copy
   * reused while its attributes stay the same as last time.
   */
  attributeTail(options: Readonly<SessionRequestOptions>, secure: boolean): string {
    if (options === this.requestDefaults) {
      const index = secure ? 1 : 0;
      return (this.defaultTails[index] ??= tailOf(attributesOf(options, secure)));
    }
    const attributes = attributesOf(options, secure);
    const last = this.lastAttributes;
    if (!last || !sameAttributes(last, attributes)) {
      this.lastTail = tailOf(attributes);
      this.lastAttributes = attributes;
    }
    return this.lastTail;
  }

  /** Says once why browsers will drop a Secure cookie sent over plain HTTP, and what to set. */
  warnInsecureOnce(host: string | undefined): void {
    if (this.warnedInsecure) return;
    this.warnedInsecure = true;
    this.logger.warn(
      `The session cookie "${this.options.name}" is marked Secure but this request reached the app over plain HTTP ` +
        `(Host: ${host ?? 'unknown'}), so browsers will not store it and sessions will not stick. ` +
        `Serve the app over HTTPS; behind a TLS-terminating proxy set secureProxy: true (it trusts X-Forwarded-Proto); ` +
        `or set secure: 'auto' to mark the cookie Secure only on HTTPS requests. (http://localhost is exempt.)`,
    );
  }
}

/** The cookie attributes (all but the expiry) of a response under `options`. */
export function attributesOf(
  options: Readonly<SessionRequestOptions>,
  secure: boolean,
): SerializeOptions {
  return {
    path: options.path,
    domain: options.domain,
    httpOnly: options.httpOnly,
    secure,
    sameSite: options.sameSite,
    partitioned: options.partitioned,
    priority: options.priority,
  };
}

function tailOf(attributes: SerializeOptions): string {
  return setCookieLine('x', '', attributes).slice('x='.length);
}

const ATTRIBUTES = [
  'path',
  'domain',
  'httpOnly',
  'secure',
  'sameSite',
  'partitioned',
  'priority',
] as const;

function sameAttributes(a: SerializeOptions, b: SerializeOptions): boolean {
  return ATTRIBUTES.every((key) => a[key] === b[key]);
}
