import { AsyncLocalStorage } from 'node:async_hooks';
import { SessionOutsideRequestError } from '../errors.js';
import { responseOf, type SessionRequest } from './session-request.js';

/**
 * The raw request being handled, for `SessionService` to find without REQUEST-scoped
 * providers (which would rebuild the provider graph on every request).
 */
export const requestScope = new AsyncLocalStorage<SessionRequest>();

/**
 * Whether `req` was answered: its response is sent and closed. A callback keeps the async
 * context it was created in: one from a connection an earlier request opened (a
 * `ClientProxy`'s), or a timer started during a request, still carries that request long after
 * its response, and may run for another user. Code of the request itself (after `res.send()`,
 * in a `finish` listener) runs before the response closes; a handler still working after its
 * client went away has not ended its response, and keeps its session.
 */
export function answered(req: SessionRequest): boolean {
  const res = responseOf(req) as ClosableResponse | undefined;
  if (res?.writableEnded !== true) return false;
  // An HTTP/2 response has no `closed` of its own: its stream has.
  return (res.closed ?? res.stream?.closed) === true;
}

/** What `answered` reads of an HTTP/1 or HTTP/2 response. */
interface ClosableResponse {
  readonly writableEnded?: boolean;
  readonly closed?: boolean;
  readonly stream?: { readonly closed?: boolean };
}

/**
 * The request the async context holds, answered or not.
 * @throws SessionOutsideRequestError outside a request.
 */
export function requestInScope(where: string): SessionRequest {
  const req = requestScope.getStore();
  if (!req) throw new SessionOutsideRequestError(where);
  return req;
}

/**
 * The request being handled, as the async context knows it.
 * @throws SessionOutsideRequestError outside a request, or once it was answered (its session
 * may be another user's).
 */
export function currentRequest(where: string): SessionRequest {
  const req = requestInScope(where);
  if (answered(req)) throw new SessionOutsideRequestError(where, { answered: true });
  return req;
}

/**
 * A body's events come from the socket, outside the request's scope, and a slow client's body
 * arrives after the request entered it: upload middleware and body parsers call the application
 * back from them (multer's `fileFilter` and `storage`, Fastify's content-type parsers). Emitted
 * inside the scope, they let `SessionService` work there as everywhere else. A request without a
 * body pays nothing.
 */
export function emitBodyEventsInScope(req: SessionRequest): void {
  const { headers } = req;
  const length = headers['content-length'];
  if (headers['transfer-encoding'] === undefined && (length === undefined || length === '0'))
    return;
  const emit = req.emit;
  req.emit = function emitInScope(this: SessionRequest, ...args: Parameters<typeof emit>) {
    return requestScope.getStore() === req
      ? emit.apply(this, args)
      : requestScope.run(req, () => emit.apply(this, args));
  } as typeof emit;
}
