import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { TestClock } from '../../support/clock.js';
import { createApp, type AppSetup, type Platform } from './create-app.js';

/**
 * For suites that move time: a test clock installed around each test, and `open(setup)` that
 * starts an app on `platform` (with `defaults` under `setup`) closed after each test.
 */
export function clockedApps(platform: Platform, defaults: AppSetup) {
  const clock = new TestClock();
  const apps: INestApplication[] = [];
  beforeEach(() => clock.install());
  afterEach(async () => {
    clock.uninstall();
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });
  const open = async (setup: AppSetup = {}) => {
    const app = await createApp(platform, { ...defaults, ...setup });
    apps.push(app);
    return () => request(app.getHttpServer());
  };
  return { clock, open };
}
