import { jest } from '@jest/globals';
import type { LoggerService } from '@nestjs/common';

/** A logger for `app.useLogger()` whose every level is a jest mock, to read what was logged. */
export function recordingLogger() {
  return {
    log: jest.fn(),
    error: jest.fn(),
    warn: jest.fn(),
    debug: jest.fn(),
    verbose: jest.fn(),
    fatal: jest.fn(),
  } satisfies LoggerService;
}

/** The warnings the module logged (its `CookieSession` context) through `logger`, as text. */
export function moduleWarnings(logger: ReturnType<typeof recordingLogger>): string[] {
  return logger.warn.mock.calls
    .filter(([, context]) => context === 'CookieSession')
    .map(([message]) => String(message));
}
