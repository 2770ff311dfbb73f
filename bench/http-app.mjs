// The NestJS 12 apps the HTTP benches load, one per configuration. Decorators are applied by
// hand: plain JS, no build. Every app serves the same four routes:
//   /login  puts a user in the session (the no-session apps set a cookie of the same size)
//   /count  reads and writes the session (views + 1)
//   /read   reads the logged-in user (401 without one: a client that lost its cookie fails)
//   /plain  never touches the session
import 'reflect-metadata';
import { Controller, Get, Module, Req, Res, UnauthorizedException } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import cookieSession from 'cookie-session';
import expressSession from 'express-session';
import fastifySecureSession from '@fastify/secure-session';
import { CookieSessionModule, Session } from '../dist/index.js';
import { DIAGNOSTICS, addPart, configurePart, partProviders } from './diagnostics.mjs';

export const SECRET = '8WerhPbRwGhhOv2G8bHWx9K7zNgaCbLptxn19Y_PT4xA8Qmb';
const USER = { id: 12345, name: 'Ada Lovelace' };
// The no-session apps' login cookie, as long as a small seal, so every request carries as much.
const PLACEHOLDER = `session=${'x'.repeat(120)}; Path=/; HttpOnly; SameSite=Lax`;

/** Each configuration: its platform, the session it uses, and this module's options. */
export const CONFIGS = {
  'express-none': { platform: 'express', session: 'none' },
  'express-ours': { platform: 'express', session: 'ours', options: {} },
  'express-ours-norenew': { platform: 'express', session: 'ours', options: { autoRenew: false } },
  'express-cookie-session': { platform: 'express', session: 'req' },
  'express-express-session': { platform: 'express', session: 'req' },
  'fastify-none': { platform: 'fastify', session: 'none' },
  'fastify-ours': { platform: 'fastify', session: 'ours', options: {} },
  'fastify-ours-nointerceptor': {
    platform: 'fastify',
    session: 'ours',
    options: { globalInterceptor: false },
  },
  'fastify-ours-norenew': { platform: 'fastify', session: 'ours', options: { autoRenew: false } },
  'fastify-secure-session': { platform: 'fastify', session: 'secure' },
};
Object.assign(CONFIGS, DIAGNOSTICS);

/** What each route does with each kind of session; `s` is @Session() for ours, else the request. */
const HANDLERS = {
  none: {
    login: (_req, res) => (res.header('set-cookie', PLACEHOLDER), { ok: true }),
    count: () => ({ views: 1 }),
    read: () => ({ user: USER }),
  },
  ours: {
    login: (s) => ((s.user = USER), { ok: true }),
    count: (s) => ({ views: (s.views = (s.views ?? 0) + 1) }),
    read: (s) => ({ user: s.user }),
  },
  req: {
    login: (req) => ((req.session.user = USER), { ok: true }),
    count: (req) => ({ views: (req.session.views = (req.session.views ?? 0) + 1) }),
    read: (req) => ({ user: req.session.user }),
  },
  secure: {
    login: (req) => (req.session.set('user', USER), { ok: true }),
    count: (req) => {
      const views = (req.session.get('views') ?? 0) + 1;
      req.session.set('views', views);
      return { views };
    },
    read: (req) => ({ user: req.session.get('user') }),
  },
};

function controllerFor(config) {
  const handlers = HANDLERS[config.session];
  class BenchController {
    login(arg, res) {
      return handlers.login(arg, res);
    }
    count(arg) {
      return handlers.count(arg);
    }
    read(arg) {
      const answer = handlers.read(arg);
      if (!answer.user) throw new UnauthorizedException('no user in the session');
      return answer;
    }
    plain() {
      return { ok: true };
    }
  }
  const proto = BenchController.prototype;
  for (const route of ['login', 'count', 'read', 'plain']) {
    Get(route)(proto, route, Object.getOwnPropertyDescriptor(proto, route));
    if (route === 'plain') continue;
    if (config.session === 'ours') Session()(proto, route, 0);
    else Req()(proto, route, 0);
  }
  Res({ passthrough: true })(proto, 'login', 1);
  Controller()(BenchController);
  return BenchController;
}

export async function createApp(name) {
  const config = CONFIGS[name];
  if (!config) throw new Error(`unknown configuration ${name}`);
  class AppModule {
    configure(consumer) {
      configurePart(config, consumer);
    }
  }
  const imports =
    config.session === 'ours'
      ? [CookieSessionModule.forRoot({ secret: SECRET, ...config.options })]
      : [];
  const providers = partProviders(config);
  Module({ imports, providers, controllers: [controllerFor(config)] })(AppModule);

  // abortOnError: false, so that a refused option reaches the parent as a message.
  const nest = { logger: ['error', 'warn'], abortOnError: false };
  if (config.platform === 'fastify') {
    const app = await NestFactory.create(AppModule, new FastifyAdapter(), nest);
    if (name === 'fastify-secure-session') {
      await app.register(fastifySecureSession, {
        key: Buffer.from(SECRET.slice(0, 32)),
        cookie: { path: '/', httpOnly: true },
      });
    }
    addPart(app, config);
    return app;
  }
  const app = await NestFactory.create(AppModule, nest);
  if (name === 'express-cookie-session') app.use(cookieSession({ keys: [SECRET] }));
  if (name === 'express-express-session') {
    // MemoryStore is the default store.
    app.use(expressSession({ secret: SECRET, resave: false, saveUninitialized: false }));
  }
  addPart(app, config);
  return app;
}
