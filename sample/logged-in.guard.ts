import { Injectable, type CanActivate } from '@nestjs/common';
import { SessionService } from 'nest-cookie-session';
import type { AppSession } from './app-session.js';
import { LoginRequiredException } from './login-required.filter.js';

/**
 * Lets a request through when its session holds a user. `SessionService` is a singleton that
 * finds the current request's session by itself: no request object needs passing around.
 */
@Injectable()
export class LoggedInGuard implements CanActivate {
  constructor(private readonly sessions: SessionService) {}

  canActivate(): boolean {
    if (this.sessions.get<AppSession>().user) return true;
    throw new LoginRequiredException();
  }
}
