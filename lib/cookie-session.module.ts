import {
  Inject,
  Logger,
  Module,
  Optional,
  type DynamicModule,
  type Provider,
  type MiddlewareConsumer,
  type NestModule,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR, HttpAdapterHost, Reflector } from '@nestjs/core';
import {
  ASYNC_OPTIONS_TYPE,
  COOKIE_SESSION_OPTIONS,
  ConfigurableModuleClass,
  OPTIONS_TYPE,
} from './cookie-session.module-definition.js';
import type { CookieSessionOptions } from './options/cookie-session-options.interface.js';
import { withoutSecrets } from './options/options-without-secrets.js';
import { checkInstalledByForRoot, installOnPlatform } from './platform/install.js';
import { SessionRuntime } from './session/session-runtime.js';
import { SessionGuard } from './session.guard.js';
import { SessionInterceptor } from './session.interceptor.js';
import { SessionService } from './session.service.js';

/**
 * What `forRoot()` and `forRootAsync()` add to the options provider. Kept off the class's own
 * metadata: a feature module that imports the bare class (as it would import other modules for
 * their services) gets an empty module, while the root module's `forRoot()` serves the app.
 */
const MODULE_PROVIDERS: Provider[] = [
  {
    provide: SessionRuntime,
    useFactory: (options: CookieSessionOptions) =>
      new SessionRuntime(options, new Logger('CookieSession')),
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
    // With `csrf: false` and no `validate` the guard has nothing to check: no route pays
    // for Nest's guard pipeline.
    useFactory: (reflector: Reflector, runtime: SessionRuntime) =>
      runtime.options.csrf || runtime.options.validate
        ? new SessionGuard(reflector, runtime)
        : null,
    inject: [Reflector, SessionRuntime],
  },
];
// The options token too, so that the application's providers can inject the module's copy.
const MODULE_EXPORTS = [SessionService, COOKIE_SESSION_OPTIONS];

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
@Module({})
export class CookieSessionModule
  extends ConfigurableModuleClass
  implements NestModule, OnApplicationBootstrap
{
  private checkInstallation: (() => void) | undefined;

  static forRoot(options: typeof OPTIONS_TYPE): DynamicModule {
    return withModuleProviders(super.forRoot(options));
  }

  static forRootAsync(options: typeof ASYNC_OPTIONS_TYPE): DynamicModule {
    return withModuleProviders(super.forRootAsync(options));
  }

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    /** Absent in a bare `imports: [CookieSessionModule]`, which adds nothing but a check. */
    @Optional() @Inject(SessionRuntime) private readonly runtime?: SessionRuntime,
  ) {
    super();
  }

  /**
   * Runs while Nest configures module middleware, after its body parsers and before its
   * routes: connects the sessions to Express or Fastify.
   */
  configure(_consumer: MiddlewareConsumer): void {
    if (this.runtime === undefined) return;
    this.checkInstallation = installOnPlatform(this.adapterHost.httpAdapter, this.runtime);
  }

  onApplicationBootstrap(): void {
    // A bare import checks that a forRoot() elsewhere set the sessions up.
    if (this.runtime === undefined) checkInstalledByForRoot(this.adapterHost.httpAdapter);
    else this.checkInstallation?.();
  }
}

/**
 * The module's providers and exports beside the options. The options provider, which the
 * application can inject and log, gives a copy without the secrets (the application's own
 * object is left as it is; the module reads the secrets from it).
 */
function withModuleProviders(definition: DynamicModule): DynamicModule {
  const providers = (definition.providers ?? []).map((provider: Provider) => {
    if (typeof provider !== 'object' || provider.provide !== COOKIE_SESSION_OPTIONS)
      return provider;
    if ('useValue' in provider) return { ...provider, useValue: withoutSecrets(provider.useValue) };
    if ('useFactory' in provider) {
      const make = provider.useFactory;
      return {
        ...provider,
        useFactory: async (...args: unknown[]) => withoutSecrets(await make(...args)),
      };
    }
    return provider;
  });
  return {
    ...definition,
    // Global: SessionService and the options are injectable in every module.
    global: true,
    providers: [...providers, ...MODULE_PROVIDERS],
    exports: [...(definition.exports ?? []), ...MODULE_EXPORTS],
  };
}
