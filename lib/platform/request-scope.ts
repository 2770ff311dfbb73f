import { AsyncLocalStorage } from 'node:async_hooks';
import { SessionOutsideRequestError } from '../errors.js';
import { RESPONSE, type SessionRequest } from './session-request.js';

/**
 * The raw request being handled, for `SessionService` to find without REQUEST-scoped
 * providers (which would rebuild the provider graph on every request).
 */
export const requestScope = new AsyncLocalStorage<SessionRequest>();

/**
 * The request being handled, as the async context knows it.
 *
 * A callback keeps the context it was created in: one from a connection an earlier request
 * opened (a `ClientProxy`'s), or a timer started during a request, still carries that request
 * long after its response. Its session is then another user's, so a request already answered
 * is refused rather than handed out.
 * @throws SessionOutsideRequestError outside a request, or once its response has ended.
 */
export function currentRequest(where: string): SessionRequest {
  const req = requestScope.getStore();
  if (!req) throw new SessionOutsideRequestError(where);
  if ((req[RESPONSE] ?? req.res)?.writableEnded) {
    throw new SessionOutsideRequestError(where, { answered: true });
  }
  return req;
}
