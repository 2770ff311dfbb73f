// Diagnostic server configurations for the bounds section (and tools/attribution.mjs): a bare
// Nest app plus one ingredient of the module at a time, done the way the module does it, to
// tell what each one costs per request.
import { AsyncLocalStorage } from 'node:async_hooks';
import { RequestMethod } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import onHeaders from 'on-headers';
import { tap } from 'rxjs';
import { SessionCodec } from '../dist/index.js';
import { floor } from './floor.mjs';

export const DIAGNOSTICS = {};
const PARTS = ['als-enabled', 'als-run', 'interceptor', 'interceptor-bare', 'on-headers'];
for (const platform of ['express', 'fastify']) {
  for (const part of [
    ...PARTS,
    'codec',
    'floor',
    'interceptor-bare+als-run',
    'als-run+floor',
    'interceptor-bare+als-run+floor',
    'guard',
    'guard+als-run',
    'guard+interceptor-bare+als-run',
  ])
    DIAGNOSTICS[`${platform}-${part}`] = { platform, session: 'none', part };
}
// Express only: there the module's per-request work runs in a Nest middleware.
for (const part of ['nest-middleware', 'req-state'])
  DIAGNOSTICS[`express-${part}`] = { platform: 'express', session: 'none', part };

/**
 * The contract bounds: per route, everything the module's documented behaviour requires of any
 * implementation, each done the cheapest way in a bare app, and none of the module's own
 * bookkeeping (renewal, validation and write decisions, options, chunking, the remembered seals):
 * - every route: the cross-origin check's global guard (refusals go through Nest's exception
 *   layer, `@CsrfExempt()` is read from the route), the request scope `SessionService` reads,
 *   finding the session cookie in the `Cookie` header, and on Fastify `req.session` on the raw
 *   request for `app.use()` middleware; with default options, the global interceptor that
 *   seals when the handler returns (`next.handle().pipe(tap())`);
 * - reading the session: a fresh object parsed from the session's JSON (a remembered seal opens
 *   without the cipher), and a hook before the headers that serialises it to see whether it
 *   changed (a nested change made anywhere before the headers leave is saved);
 * - writing it: the same, then one AES-256-GCM seal (no open: the cookie that came in was sealed
 *   by this app) and a `Set-Cookie`.
 * Generous to the bound: one serialisation per request where the module needs a second one
 * when the interceptor sealed early, and no `onSend` hook on Fastify without the interceptor
 * (the module's, which keeps an oversized session a 500 there, is a choice, not a requirement).
 */
const CONTRACT = {
  plain: 'guard+als-run+cookie+accessors',
  read: 'guard+als-run+cookie+accessors+read',
  count: 'guard+als-run+cookie+accessors+write',
};
for (const platform of ['express', 'fastify']) {
  for (const [route, part] of Object.entries(CONTRACT)) {
    DIAGNOSTICS[`${platform}-contract-${route}`] = {
      platform,
      session: 'none',
      part: `interceptor+${part}`,
    };
  }
}
for (const [route, part] of Object.entries(CONTRACT))
  DIAGNOSTICS[`fastify-contract-nointerceptor-${route}`] = {
    platform: 'fastify',
    session: 'none',
    part,
  };

const STATE = Symbol('bench.state');
/** The session the bench's /login puts in, as JSON (a remembered seal gives its JSON). */
export const SESSION_JSON = JSON.stringify({ user: { id: 12345, name: 'Ada Lovelace' } });

/** The contract bound's cookie step: the session cookie found, and kept on the request. */
export function findSessionCookie(req) {
  req[STATE] = { cookie: /(?:^|;\s*)session=([^;]*)/.exec(req.headers.cookie ?? '')?.[1] };
}

/**
 * The contract bound's write step: the session parsed from its JSON and changed, then sealed
 * with `codec` (floor's seal serialises the data itself) as the headers leave.
 */
export function writeSession(req, res, codec) {
  const state = req[STATE];
  state.data = JSON.parse(SESSION_JSON);
  state.data.views = (state.data.views ?? 0) + 1;
  onHeaders(res, () => {
    res.setHeader('set-cookie', `session=${codec.seal(state.data)}; Path=/; HttpOnly`);
    res.setHeader('cache-control', 'private');
  });
}
const RAW_ACCESSOR = {
  configurable: true,
  get() {
    return this[STATE]?.data;
  },
  set(value) {
    if (this[STATE]) this[STATE].data = value;
  },
};

/**
 * Providers for the app module: a global guard that lets everything through (the module's
 * cross-origin check is one), a global interceptor doing what SessionInterceptor does.
 */
export function partProviders(config) {
  const parts = config.part?.split('+') ?? [];
  const providers = [];
  if (parts.includes('guard'))
    providers.push({ provide: APP_GUARD, useValue: { canActivate: () => true } });
  if (!parts.includes('interceptor') && !parts.includes('interceptor-bare')) return providers;
  const intercept = parts.includes('interceptor')
    ? (_context, next) => next.handle().pipe(tap(() => {}))
    : (_context, next) => next.handle();
  return [...providers, { provide: APP_INTERCEPTOR, useValue: { intercept } }];
}

/** The app module's configure(): a Nest middleware on every route, as the module's on Express. */
export function configurePart(config, consumer) {
  if (config.part !== 'nest-middleware') return;
  consumer.apply((_req, _res, next) => next()).forRoutes({ path: '*', method: RequestMethod.ALL });
}

/** Everything else is added to the created app, before it listens. */
export function addPart(app, config) {
  // 'a+b': both ingredients in one server, to see whether they cost more together.
  for (const part of config.part?.split('+') ?? []) addOnePart(app, config, part);
}

function addOnePart(app, config, part) {
  const express = config.platform === 'express';
  const fastify = express ? undefined : app.getHttpAdapter().getInstance();
  const perRequest = (fn) => {
    if (express) app.use((req, res, next) => (fn(req, res), next()));
    else fastify.addHook('onRequest', (req, reply, done) => (fn(req.raw, reply.raw), done()));
  };
  const als = new AsyncLocalStorage();
  switch (part) {
    case 'als-enabled':
      // On Node 20 the first run() turns promise hooks on for the whole process, for good.
      als.run({}, () => {});
      break;
    case 'als-run':
      if (express) app.use((req, _res, next) => als.run(req, next));
      else {
        // As the module does: a scope from the request hook on, opened again before the handler
        // only when content parsing lost it (a request with a body).
        fastify.addHook('onRequest', (req, _reply, done) => als.run(req.raw, done));
        fastify.addHook('preHandler', (req, _reply, done) =>
          als.getStore() === req.raw ? done() : als.run(req.raw, done),
        );
      }
      break;
    case 'on-headers':
      perRequest((_req, res) => onHeaders(res, () => {}));
      break;
    case 'cookie':
      perRequest(findSessionCookie);
      break;
    case 'accessors':
      // Express gets them once on its request prototype; Fastify's raw request is Node's own.
      if (express) break;
      fastify.addHook('onRequest', (req, _reply, done) => {
        Object.defineProperty(req.raw, 'session', RAW_ACCESSOR);
        Object.defineProperty(req.raw, 'sessionOptions', RAW_ACCESSOR);
        done();
      });
      break;
    case 'read':
      perRequest((req, res) => {
        const state = req[STATE];
        state.data = JSON.parse(SESSION_JSON);
        onHeaders(res, () => {
          if (JSON.stringify(state.data) !== SESSION_JSON) throw new Error('changed');
        });
      });
      break;
    case 'write': {
      const codec = floor();
      perRequest((req, res) => writeSession(req, res, codec));
      break;
    }
    case 'req-state':
      // What SessionState.of does: a symbol-keyed object on the request and an on-headers hook.
      perRequest((req, res) => {
        req[STATE] = { req, res };
        onHeaders(res, () => {});
      });
      break;
    case 'codec':
    case 'floor': {
      // The codec alone in a live server: open the cookie, seal it again, set it. 'floor' does
      // the same with the codec bench's plain node:crypto AES-256-GCM.
      const codec =
        part === 'floor'
          ? floor()
          : new SessionCodec({ secret: '8WerhPbRwGhhOv2G8bHWx9K7zNgaCbLptxn19Y_PT4xA8Qmb' });
      perRequest((req, res) => {
        const value = /(?:^|; )session=([^;]*)/.exec(req.headers.cookie ?? '')?.[1];
        let data;
        try {
          data = codec.open(value) ?? {};
        } catch {
          data = {}; // the floor throws on what it cannot open
        }
        data.count = (data.count ?? 0) + 1;
        res.setHeader('set-cookie', `session=${codec.seal(data)}; Path=/; HttpOnly; SameSite=Lax`);
      });
      break;
    }
  }
}
