import type { INestApplication } from '@nestjs/common';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { GraphQLModule } from '@nestjs/graphql';
import type { MercuriusDriverConfig } from '@nestjs/mercurius';
import request from 'supertest';
import { createApp, type Platform } from '../../e2e/support/create-app.js';
import { AccountResolver, AccountService, LoggedInGuard } from './account.resolver.js';
import { loadMercurius } from './load-mercurius.js';

/** Every GraphQL driver × platform pair the session is tested on. */
export const GRAPHQL_SETUPS = [
  { name: 'Apollo on Express', driver: 'apollo', platform: 'express' },
  { name: 'Apollo on Fastify', driver: 'apollo', platform: 'fastify' },
  { name: 'Mercurius on Fastify', driver: 'mercurius', platform: 'fastify' },
] as const satisfies readonly { name: string; driver: string; platform: Platform }[];
export type GraphQLSetup = (typeof GRAPHQL_SETUPS)[number];

/** The GraphQL module as a user writes it: code first, schema kept in memory. */
export async function graphqlModule(
  driver: GraphQLSetup['driver'],
  context?: ApolloDriverConfig['context'],
) {
  if (driver === 'apollo') {
    return GraphQLModule.forRoot<ApolloDriverConfig>({
      driver: ApolloDriver,
      autoSchemaFile: true,
      context,
    });
  }
  const { MercuriusDriver } = await loadMercurius();
  return GraphQLModule.forRoot<MercuriusDriverConfig>({
    driver: MercuriusDriver,
    autoSchemaFile: true,
  });
}

export interface RunningApp {
  app: INestApplication;
  /** http://127.0.0.1:PORT */
  url: string;
}

/** The app of `setup`, listening on 127.0.0.1. */
export async function startGraphQLApp(
  setup: GraphQLSetup,
  context?: ApolloDriverConfig['context'],
): Promise<RunningApp> {
  const app = await createApp(setup.platform, {
    imports: [await graphqlModule(setup.driver, context)],
    providers: [AccountResolver, AccountService, LoggedInGuard],
  });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return { app, url: `http://127.0.0.1:${address.port}` };
}

/** POSTs one GraphQL operation, with `cookie` as the Cookie header when given. */
export function gql(url: string, query: string, cookie = '') {
  const req = request(url).post('/graphql').send({ query });
  return cookie ? req.set('Cookie', cookie) : req;
}
