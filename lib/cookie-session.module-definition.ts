import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { CookieSessionOptions } from './options/cookie-session-options.interface.js';

/** A class `forRootAsync({ useClass })` can use to make the options. */
export interface CookieSessionOptionsFactory {
  createCookieSessionOptions(): CookieSessionOptions | Promise<CookieSessionOptions>;
}

export const {
  ConfigurableModuleClass,
  MODULE_OPTIONS_TOKEN: COOKIE_SESSION_OPTIONS,
  OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<CookieSessionOptions>({ moduleName: 'CookieSession' })
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createCookieSessionOptions')
  .setExtras({ isGlobal: true }, (definition, extras) => ({
    ...definition,
    global: extras.isGlobal,
  }))
  .build();

/** Injection token of the module's `SessionContext` (validated options and codec). */
export const SESSION_CONTEXT = Symbol('nest-cookie-session.context');
