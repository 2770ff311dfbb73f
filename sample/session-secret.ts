import { randomBytes } from 'node:crypto';
import { Logger } from '@nestjs/common';

/**
 * The key that encrypts the session cookies: `SESSION_SECRET` from the environment, or a random
 * one for this run only. Every instance of an app must share the same secret, and it must
 * survive restarts, or users are logged out.
 */
export function sessionSecret(): string {
  const secret = process.env.SESSION_SECRET;
  if (secret) return secret;
  new Logger('Session').warn(
    'SESSION_SECRET is not set: using a random secret, so sessions end when the app restarts. ' +
      "Set one made with: node -e \"console.log(require('crypto').randomBytes(32).toString('base64url'))\"",
  );
  return randomBytes(32).toString('base64url');
}
