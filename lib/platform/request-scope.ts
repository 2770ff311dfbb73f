import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage } from 'node:http';

/**
 * The raw request being handled, for `SessionService` to find without REQUEST-scoped
 * providers (which would rebuild the provider graph on every request).
 */
export const requestScope = new AsyncLocalStorage<IncomingMessage>();
