import { Inject, Module, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { APP_INTERCEPTOR, HttpAdapterHost } from '@nestjs/core';
import {
  COOKIE_SESSION_OPTIONS,
  ConfigurableModuleClass,
  SESSION_CONTEXT,
} from './cookie-session.module-definition.js';
import { installOnPlatform } from './http/platform-hooks.js';
import type { CookieSessionOptions } from './options/cookie-session-options.interface.js';
import { SessionContext } from './session/session-context.js';
import { SessionInterceptor } from './session.interceptor.js';
import { SessionService } from './session.service.js';

/**
 * Encrypted cookie sessions for the whole application (a global module).
 *
 * @example
 * CookieSessionModule.forRoot({ secret: process.env.SESSION_SECRET! })
 * @example
 * CookieSessionModule.forRootAsync({
 *   imports: [ConfigModule],
 *   inject: [ConfigService],
 *   useFactory: (config: ConfigService) => ({ secret: config.getOrThrow('SESSION_SECRET') }),
 * })
 * @throws CookieSessionOptionsError at start-up when an option is invalid.
 */
@Module({
  providers: [
    {
      provide: SESSION_CONTEXT,
      useFactory: (options: CookieSessionOptions) => new SessionContext(options),
      inject: [COOKIE_SESSION_OPTIONS],
    },
    SessionService,
    SessionInterceptor,
    { provide: APP_INTERCEPTOR, useExisting: SessionInterceptor },
  ],
  exports: [SessionService, SESSION_CONTEXT],
})
export class CookieSessionModule extends ConfigurableModuleClass implements NestModule {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(SESSION_CONTEXT) private readonly context: SessionContext,
  ) {
    super();
  }

  /**
   * Runs while Nest configures module middleware, after its body parsers and before its
   * routes: connects the sessions to Express or Fastify.
   */
  configure(_consumer: MiddlewareConsumer): void {
    installOnPlatform(this.adapterHost.httpAdapter, this.context);
  }
}
