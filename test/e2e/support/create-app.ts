import 'reflect-metadata';
import type { INestApplication, ModuleMetadata } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { CookieSessionModule, type CookieSessionOptions } from '../../../lib/index.js';

export type Platform = 'express' | 'fastify';
/** One table for every e2e suite: each behaviour is checked on both Nest platforms. */
export const PLATFORMS: Platform[] = ['express', 'fastify'];

export const SECRET = 'a-test-secret-that-is-long-enough-0123456789';

export interface AppSetup extends ModuleMetadata {
  /** Options for CookieSessionModule.forRoot(); `secret` defaults to SECRET. */
  session?: Partial<CookieSessionOptions>;
  /** Runs on the created app before init (app.use(), global filters…). */
  configure?: (app: INestApplication) => void;
  /** Leave out CookieSessionModule.forRoot() (the test imports its own). */
  noSessionModule?: boolean;
}

/** A Nest app on `platform`, initialised and ready for supertest. */
export async function createApp(platform: Platform, setup: AppSetup): Promise<INestApplication> {
  const { session, configure, noSessionModule, imports = [], ...metadata } = setup;
  const sessionModule = noSessionModule
    ? []
    : [CookieSessionModule.forRoot({ secret: SECRET, ...session } as CookieSessionOptions)];
  const moduleRef = await Test.createTestingModule({
    ...metadata,
    imports: [...sessionModule, ...imports],
  }).compile();
  const app =
    platform === 'express'
      ? moduleRef.createNestApplication(new ExpressAdapter(), { logger: false })
      : moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), {
          logger: false,
        });
  configure?.(app);
  await app.init();
  if (platform === 'fastify')
    await (app as NestFastifyApplication).getHttpAdapter().getInstance().ready();
  return app;
}
