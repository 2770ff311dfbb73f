import type { Session } from 'nest-cookie-session';
import type { AppSession } from './app-session.js';

/** Leaves a message in the session for the next page the browser shows. */
export function setFlash(session: Session<AppSession>, message: string): void {
  session.flash = message;
}

/** The waiting message, if any, removed from the session so that it shows only once. */
export function takeFlash(session: Session<AppSession>): string | undefined {
  const message = session.flash;
  delete session.flash;
  return message;
}
