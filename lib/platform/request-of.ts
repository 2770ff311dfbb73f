import type { IncomingMessage } from 'node:http';
import type { ExecutionContext } from '@nestjs/common';
import { currentRequest } from './request-scope.js';
import { RUNTIME, type SessionRequest } from './session-request.js';

/** The raw Node request behind a platform request (Fastify wraps it; Express is it). */
export function rawRequestOf(request: { raw?: IncomingMessage } & object): SessionRequest {
  return (request.raw ?? request) as SessionRequest;
}

/** What GraphQL drivers put in their context: Apollo `{ req }`, Mercurius `{ reply }`. */
interface GraphQLContextLike {
  req?: object;
  request?: object;
  reply?: { request?: object };
}

/**
 * The raw request an execution context belongs to: HTTP directly; GraphQL through the
 * driver's context (without importing @nestjs/graphql); otherwise the request being handled.
 * @throws SessionOutsideRequestError when there is no HTTP request behind the context (e.g. a
 * WebSocket message), or the request being handled was already answered.
 */
export function rawRequestOfContext(context: ExecutionContext): SessionRequest {
  // An HTTP context's first argument is its request: what switchToHttp().getRequest() returns,
  // without the three closures Nest makes on every switchToHttp() call.
  if (context.getType() === 'http') return rawRequestOf(context.getArgByIndex(0));
  const graphql = context.getArgByIndex<GraphQLContextLike | undefined>(2);
  for (const candidate of [graphql?.req, graphql?.request, graphql?.reply?.request]) {
    // Only a request this module is attached to: a context may use `req` for something else.
    if (candidate && typeof candidate === 'object' && rawRequestOf(candidate)[RUNTIME]) {
      return rawRequestOf(candidate);
    }
  }
  return currentRequest(`@Session() in a ${context.getType()} context`);
}
