import type { IncomingMessage, ServerResponse } from 'node:http';
import { SessionNotAttachedError } from '../errors.js';
import type { CarriedCookie } from '../session/carried-cookie.js';
import { RequestSession } from '../session/request-session.js';
import type { PeekedSeal } from '../session/session-sealer.js';
import type { SessionRuntime } from '../session/session-runtime.js';

export const RUNTIME = Symbol('nest-cookie-session.runtime');
export const SESSION = Symbol('nest-cookie-session.session');
export const CARRIED = Symbol('nest-cookie-session.carried');
/** The response, where the platform does not link it itself (Express sets `req.res`). */
export const RESPONSE = Symbol('nest-cookie-session.response');

/** A raw Node request as the platforms hand it to us, with our links on it. */
export interface SessionRequest extends IncomingMessage {
  [RUNTIME]?: SessionRuntime;
  [SESSION]?: RequestSession;
  /** The session cookie as read on entry (`null`: none), so it is read once per request. */
  [CARRIED]?: CarriedCookie | null;
  [RESPONSE]?: ServerResponse;
  res?: ServerResponse;
}

/** The response of `req`: Express links it itself, Fastify's is linked on entry. */
export function responseOf(req: SessionRequest): ServerResponse | undefined {
  return req[RESPONSE] ?? req.res;
}

/**
 * The session of `req`, created on first use.
 * @throws SessionNotAttachedError when the module did not attach to this request.
 */
export function sessionOf(req: SessionRequest, peeked?: PeekedSeal | null): RequestSession {
  const existing = req[SESSION];
  if (existing) return existing;
  const runtime = req[RUNTIME];
  const res = responseOf(req);
  if (!runtime || !res) throw new SessionNotAttachedError();
  const carried = req[CARRIED] === undefined ? runtime.carried(req) : (req[CARRIED] ?? undefined);
  return (req[SESSION] = new RequestSession(req, res, runtime, carried, peeked));
}

/**
 * A session of `req` that is not its own: empty, and never written (its response has gone).
 * For code that outlived its request and may be working for another user.
 */
export function detachedSession(req: SessionRequest): RequestSession {
  return new RequestSession(req, responseOf(req)!, req[RUNTIME]!, undefined, null, true);
}

/**
 * The first step of every request: reads the session cookie's clear-text header and starts the
 * session's work only when something is due — a renewal, the adoption of a replaced library's
 * cookie, or a validation, which completes (returned promise) before any application code runs.
 * Everything else stays lazy: a request that never touches its session costs no decryption.
 */
export function enterRequest(
  req: SessionRequest,
  runtime: SessionRuntime,
  platformRequest: unknown,
): Promise<void> | undefined {
  const carried = runtime.carried(req);
  req[CARRIED] = carried ?? null;
  if (!carried) return undefined;
  const now = carried.readAt;
  const peeked = runtime.peek(carried);
  const legacy = carried.legacy.size > 0;
  const adoptable = peeked === undefined && legacy;
  // Beside a replaced library's cookie, which session the request gets is known only once its
  // seal is opened (a seal whose clear-text header looks in date and freshly validated may not
  // open, and the old cookie is then adopted): validation opens it first and checks whatever
  // session the request really carries.
  const validation =
    runtime.options.validate !== undefined &&
    (legacy || (peeked !== undefined && runtime.validationDue(peeked.validatedAt, now)));
  const renewal =
    peeked !== undefined && runtime.options.autoRenew && runtime.renewalDue(peeked, now);
  if (!validation && !renewal && !adoptable) return undefined;
  const session = sessionOf(req, peeked ?? null);
  return validation ? session.validate(platformRequest) : undefined;
}

/** `request.session` / `request.sessionOptions` on a raw Node request. */
export const RAW_ACCESSORS = {
  session: {
    configurable: true,
    get(this: SessionRequest) {
      return sessionOf(this).current;
    },
    set(this: SessionRequest, value: unknown) {
      sessionOf(this).current = value;
    },
  },
  sessionOptions: {
    configurable: true,
    get(this: SessionRequest) {
      return sessionOf(this).options;
    },
    set(this: SessionRequest, value: never) {
      sessionOf(this).options = value;
    },
  },
} satisfies PropertyDescriptorMap;
