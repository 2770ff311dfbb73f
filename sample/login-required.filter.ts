import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';

/** Thrown by `LoggedInGuard` when the session has no user. */
export class LoginRequiredException extends Error {
  constructor() {
    super('Login required');
  }
}

/** Answers a `LoginRequiredException` with a redirect to the login form. */
@Catch(LoginRequiredException)
export class LoginRequiredFilter implements ExceptionFilter {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(_exception: LoginRequiredException, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse();
    this.adapterHost.httpAdapter.redirect(response, 303, '/login');
  }
}
