import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Request, Response, NextFunction, Express } from 'express';

// cookie-session ships no types: only its factory's call signature is needed here.
type CookieSessionFactory = (options: {
  keys: (string | Buffer)[];
  name?: string;
}) => (req: Request, res: Response, next: NextFunction) => void;

const require = createRequire(import.meta.url);
const express = require('express') as () => Express;
const cookieSession = require('cookie-session') as CookieSessionFactory;
const Keygrip = require('keygrip') as new (keys: string[]) => { sign(data: string): string };

/**
 * The Cookie header of a session cookie-session would have written under `key`: base64 JSON in
 * `session`, its Keygrip signature in `session.sig`.
 */
export function signedOldCookie(key: string, data: object): string {
  const value = Buffer.from(JSON.stringify(data)).toString('base64');
  return `session=${value}; session.sig=${new Keygrip([key]).sign(`session=${value}`)}`;
}

/** The user a login stores in the old session. */
export interface LegacyUser {
  id: number;
  name: string;
}

/** A running Express app that keeps its sessions with expressjs/cookie-session. */
export interface CookieSessionApp {
  readonly url: string;
  close(): Promise<void>;
}

type SessionRequest = Request & { session: Record<string, unknown> | null };

/**
 * Starts an Express app on 127.0.0.1 with cookie-session under `keys` and `name`:
 * `/login?id=&name=` stores `{ user: { id, name } }`, `/` answers the session as JSON.
 */
export async function startCookieSessionApp(options: {
  keys: (string | Buffer)[];
  name?: string;
  domain?: string;
  path?: string;
}): Promise<CookieSessionApp> {
  const app = express();
  app.use(cookieSession(options));
  app.get('/login', (req, res) => {
    const session = (req as SessionRequest).session!;
    session.user = { id: Number(req.query.id), name: String(req.query.name) };
    res.json(session);
  });
  app.get('/', (req, res) => {
    res.json((req as SessionRequest).session);
  });
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      ),
  };
}

/** Logs `user` in and returns the cookies the response set, by name, with their raw values. */
export async function logIn(app: CookieSessionApp, user: LegacyUser): Promise<Map<string, string>> {
  const query = new URLSearchParams({ id: String(user.id), name: user.name });
  const response = await fetch(`${app.url}/login?${query}`);
  await response.arrayBuffer();
  const cookies = new Map<string, string>();
  for (const line of response.headers.getSetCookie()) {
    const pair = line.split(';', 1)[0];
    const equals = pair.indexOf('=');
    cookies.set(pair.slice(0, equals), pair.slice(equals + 1));
  }
  return cookies;
}

/** The session the old app itself reads from `cookies` (to show a fixture is one it accepts). */
export async function sessionSeenBy(
  app: CookieSessionApp,
  cookies: Map<string, string>,
): Promise<unknown> {
  const response = await fetch(`${app.url}/`, { headers: { cookie: cookieHeaderOf(cookies) } });
  return response.json();
}

/** The Cookie header a browser holding only these cookies would send. */
export function cookieHeaderOf(cookies: Map<string, string>): string {
  return [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
}
