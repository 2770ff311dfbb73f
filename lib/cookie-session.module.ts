import {
  Inject,
  Module,
  type MiddlewareConsumer,
  type NestModule,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR, HttpAdapterHost, Reflector } from '@nestjs/core';
import {
  COOKIE_SESSION_OPTIONS,
  ConfigurableModuleClass,
} from './cookie-session.module-definition.js';
import type { CookieSessionOptions } from './options/cookie-session-options.interface.js';
import { installOnPlatform } from './platform/install.js';
import { SessionRuntime } from './session/session-runtime.js';
import { SessionGuard } from './session.guard.js';
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
      provide: SessionRuntime,
      useFactory: (options: CookieSessionOptions) => new SessionRuntime(options),
      inject: [COOKIE_SESSION_OPTIONS],
    },
    SessionService,
    SessionInterceptor,
    {
      provide: APP_INTERCEPTOR,
      // Nest skips a global enhancer whose factory gives null: with
      // `globalInterceptor: false` no interceptor pipeline runs on any route.
      useFactory: (runtime: SessionRuntime, interceptor: SessionInterceptor) =>
        runtime.options.globalInterceptor ? interceptor : null,
      inject: [SessionRuntime, SessionInterceptor],
    },
    {
      provide: APP_GUARD,
      useFactory: (reflector: Reflector, runtime: SessionRuntime) =>
        new SessionGuard(reflector, runtime),
      inject: [Reflector, SessionRuntime],
    },
  ],
  exports: [SessionService],
})
export class CookieSessionModule
  extends ConfigurableModuleClass
  implements NestModule, OnApplicationBootstrap
{
  private checkInstallation: (() => void) | undefined;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(SessionRuntime) private readonly runtime: SessionRuntime,
  ) {
    super();
  }

  /**
   * Runs while Nest configures module middleware, after its body parsers and before its
   * routes: connects the sessions to Express or Fastify.
   */
  configure(_consumer: MiddlewareConsumer): void {
    this.checkInstallation = installOnPlatform(this.adapterHost.httpAdapter, this.runtime);
  }

  onApplicationBootstrap(): void {
    this.checkInstallation?.();
  }
}
