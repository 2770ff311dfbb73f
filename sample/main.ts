import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';

/** Starts the sample on PORT (default 3000); HOST picks the interface (default: all). */
async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(AppModule);
  app.enableShutdownHooks();
  const port = Number(process.env.PORT ?? 3000);
  const host = process.env.HOST;
  await (host ? app.listen(port, host) : app.listen(port));
  new Logger('Sample').log(`Open http://localhost:${port} in a browser`);
}

void bootstrap();
