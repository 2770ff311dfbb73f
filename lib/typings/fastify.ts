// Brings Fastify's types into the program (an augmentation alone does not), kept in the .d.ts.
/// <reference types="fastify" preserve="true" />
/**
 * `request.session` and `request.sessionOptions` on Fastify's request, typed by the
 * `SessionData` interface. Opt in once, in any file of the app (e.g. `main.ts`):
 *
 * @example
 * import type {} from 'nest-cookie-session/fastify';
 * // or: /// <reference types="nest-cookie-session/fastify" />
 *
 * Not part of the main entry: augmenting 'fastify' from there would break the type check
 * (TS2664, with `skipLibCheck: false`) of every app that does not use Fastify.
 */
import type { SessionRequestProperties } from '../session/session-data.interface.js';

declare module 'fastify' {
  // eslint-disable-next-line @typescript-eslint/no-empty-interface
  interface FastifyRequest extends SessionRequestProperties {}
}

export {};
