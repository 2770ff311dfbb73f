import {
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { tap, type Observable } from 'rxjs';
import { rawRequestOfContext } from './platform/request-of.js';
import { SESSION } from './platform/session-request.js';

/**
 * Registered globally by `CookieSessionModule` (unless `globalInterceptor: false`). When a
 * handler returns, it seals the session while the request can still fail properly: a session
 * too large for its cookies becomes a 500 through Nest's exception layer, and the client keeps
 * its previous cookie. Responses written any other way (exceptions, guards, `@Res()`, streams)
 * are saved as their headers leave.
 */
@Injectable()
export class SessionInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const type = context.getType<string>();
    if (type !== 'http' && type !== 'graphql') return next.handle();
    let req: ReturnType<typeof rawRequestOfContext>;
    try {
      req = rawRequestOfContext(context);
    } catch {
      return next.handle();
    }
    return next.handle().pipe(tap(() => req[SESSION]?.prepare()));
  }
}
