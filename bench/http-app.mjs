// The NestJS 12 apps the HTTP benches load, one per configuration. Decorators are applied by
// hand: plain JS, no build.
import 'reflect-metadata';
import { Controller, Get, Module, Req } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import cookieSession from 'cookie-session';
import expressSession from 'express-session';
import fastifySecureSession from '@fastify/secure-session';
import { CookieSessionModule, Session } from '../dist/index.js';
import { DIAGNOSTICS, addPart, configurePart, partProviders } from './diagnostics.mjs';

const SECRET = 'bench-secret-bench-secret-bench-secret-0123456789';

/** Each configuration: its platform, the session it uses, and how /count reaches the counter. */
export const CONFIGS = {
  'express-none': { platform: 'express', session: 'none' },
  'express-ours': { platform: 'express', session: 'ours' },
  'express-ours-norenew': { platform: 'express', session: 'ours', autoRenew: false },
  'express-cookie-session': { platform: 'express', session: 'req' },
  'express-express-session': { platform: 'express', session: 'req' },
  'fastify-none': { platform: 'fastify', session: 'none' },
  'fastify-ours': { platform: 'fastify', session: 'ours' },
  'fastify-ours-norenew': { platform: 'fastify', session: 'ours', autoRenew: false },
  'fastify-secure-session': { platform: 'fastify', session: 'secure' },
};
Object.assign(CONFIGS, DIAGNOSTICS);

let noSessionCounter = 0;

/** How each kind of session reads, increments and returns the counter. */
const COUNTERS = {
  none: () => ({ count: ++noSessionCounter }),
  ours: (session) => ({ count: (session.count = (session.count ?? 0) + 1) }),
  req: (req) => ({ count: (req.session.count = (req.session.count ?? 0) + 1) }),
  secure: (req) => {
    const count = (req.session.get('count') ?? 0) + 1;
    req.session.set('count', count);
    return { count };
  },
};

function controllerFor(config) {
  const count = COUNTERS[config.session];
  class BenchController {
    count(arg) {
      return count(arg);
    }
    plain() {
      return { ok: true };
    }
  }
  const proto = BenchController.prototype;
  for (const route of ['count', 'plain'])
    Get(route)(proto, route, Object.getOwnPropertyDescriptor(proto, route));
  if (config.session === 'ours') Session()(proto, 'count', 0);
  else if (config.session !== 'none') Req()(proto, 'count', 0);
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
      ? [
          CookieSessionModule.forRoot({
            secret: SECRET,
            ...(config.autoRenew === false ? { autoRenew: false } : {}),
          }),
        ]
      : [];
  const providers = partProviders(config);
  Module({ imports, providers, controllers: [controllerFor(config)] })(AppModule);

  const logger = ['error', 'warn'];
  if (config.platform === 'fastify') {
    const app = await NestFactory.create(AppModule, new FastifyAdapter(), { logger });
    if (name === 'fastify-secure-session') {
      await app.register(fastifySecureSession, {
        key: Buffer.from(SECRET.slice(0, 32)),
        cookie: { path: '/', httpOnly: true },
      });
    }
    addPart(app, config);
    return app;
  }
  const app = await NestFactory.create(AppModule, { logger });
  if (name === 'express-cookie-session') app.use(cookieSession({ keys: [SECRET] }));
  if (name === 'express-express-session') {
    // MemoryStore is the default store.
    app.use(expressSession({ secret: SECRET, resave: false, saveUninitialized: false }));
  }
  addPart(app, config);
  return app;
}
