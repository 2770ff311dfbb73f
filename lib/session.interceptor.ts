import {
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { tap, type Observable } from 'rxjs';
import { rawRequestOf } from './http/request-of.js';
import { STATE } from './session/session-state.js';

/**
 * Registered globally by `CookieSessionModule`. When a handler returns, it seals the session
 * while the request can still fail properly: a session too large for its cookies becomes a 500
 * through Nest's exception layer, and the client keeps its previous cookie. Responses written
 * any other way (exceptions, guards, `@Res()`, streams) are saved as their headers leave.
 */
@Injectable()
export class SessionInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const req = rawRequestOf(context.switchToHttp().getRequest());
    return next.handle().pipe(tap(() => req[STATE]?.prepare()));
  }
}
