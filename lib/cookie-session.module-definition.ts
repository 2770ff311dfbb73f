import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { CookieSessionOptions } from './options/cookie-session-options.interface.js';

/**
 * A class `forRootAsync({ useClass })` (or `useExisting`) can use to make the options: Nest calls
 * its `createCookieSessionOptions()`.
 */
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
  .build();

/** The options of `CookieSessionModule.forRootAsync()`: `imports`, `inject`, `useFactory`, `useClass`, `useExisting`. */
export type CookieSessionAsyncOptions = typeof ASYNC_OPTIONS_TYPE;
