import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { SessionCodec } from '../../lib/index.js';
import { TestClock } from '../support/clock.js';
import { cookieHeader, setCookies } from '../support/cookies.js';
import { sealTimes } from '../support/seal.js';
import { PLATFORMS, SECRET, createApp } from './support/create-app.js';
import { SessionController } from './support/session.controller.js';

const codec = new SessionCodec({ secret: SECRET });
const NAME = '__Host-session';

describe.each(PLATFORMS)('the session object, on %s', (platform) => {
  let app: INestApplication;
  beforeAll(async () => {
    app = await createApp(platform, { controllers: [SessionController] });
  });
  afterAll(() => app.close());
  const http = () => request(app.getHttpServer());

  it('is a plain object of JSON data whose extra members are not enumerable and never stored', async () => {
    const fresh = await http().post('/set').send({ userId: 42 }).expect(201);
    expect(fresh.body).toEqual({
      data: { userId: 42 },
      keys: ['userId'],
      isNew: true,
      populated: true,
      isChanged: true,
    });
    const stored = codec.open(setCookies(fresh)[0].value);
    expect(stored).toEqual({ userId: 42 });

    const again = await http().get('/read').set('Cookie', cookieHeader(fresh)).expect(200);
    expect(again.body).toEqual({
      data: { userId: 42 },
      keys: ['userId'],
      isNew: false,
      populated: true,
      isChanged: false,
    });
  });

  it('reports isChanged only when the data differs from what came in', async () => {
    const fresh = await http().post('/set').send({ a: 1 }).expect(201);
    const same = await http()
      .post('/set')
      .set('Cookie', cookieHeader(fresh))
      .send({ a: 1 })
      .expect(201);
    expect(same.body.isChanged).toBe(false);
    const changed = await http()
      .post('/set')
      .set('Cookie', cookieHeader(fresh))
      .send({ a: 2 })
      .expect(201);
    expect(changed.body.isChanged).toBe(true);
  });

  it('destroys the session when request.session is set to null', async () => {
    const fresh = await http().post('/set').send({ a: 1 }).expect(201);
    const destroyed = await http().post('/null').set('Cookie', cookieHeader(fresh)).expect(201);
    const cleared = setCookies(destroyed);
    expect(cleared).toHaveLength(1);
    expect(cleared[0]).toMatchObject({ name: NAME, value: '' });
    expect(cleared[0].attributes['max-age']).toBe('0');
    expect(new Date(String(cleared[0].attributes.expires)).getTime()).toBe(0);
  });

  it('replaces the data when request.session is set to an object', async () => {
    const fresh = await http().post('/set').send({ a: 1, b: 2 }).expect(201);
    const replaced = await http()
      .post('/replace')
      .set('Cookie', cookieHeader(fresh))
      .send({ c: 3 })
      .expect(201);
    expect(replaced.body).toMatchObject({
      data: { c: 3 },
      keys: ['c'],
      isNew: false,
      isChanged: true,
    });
    expect(codec.open(setCookies(replaced)[0].value)).toEqual({ c: 3 });
  });

  it('refuses to set request.session to anything but an object or null', async () => {
    const controllerApp = await createApp(platform, {
      controllers: [SessionController],
      configure: (a) =>
        a.use((req: any, res: any, next: () => void) => {
          if (req.url !== '/bad-assign') return next();
          const outcomes = [42, 'text', undefined, [1, 2], true].map((value) => {
            try {
              req.session = value;
              return 'accepted';
            } catch (error) {
              return (error as Error).name;
            }
          });
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify(outcomes));
        }),
    });
    try {
      const res = await request(controllerApp.getHttpServer()).get('/bad-assign').expect(200);
      expect(res.body).toEqual(['TypeError', 'TypeError', 'TypeError', 'TypeError', 'TypeError']);
    } finally {
      await controllerApp.close();
    }
  });

  it('regenerates: drops the data and starts a new session with a new creation time', async () => {
    const clock = new TestClock().install();
    try {
      const fresh = await http().post('/set').send({ a: 1 }).expect(201);
      const created = sealTimes(setCookies(fresh)[0].value).createdAt;
      clock.advance(1000);
      const regenerated = await http()
        .post('/regenerate')
        .set('Cookie', cookieHeader(fresh))
        .send({ b: 2 })
        .expect(201);
      expect(regenerated.body).toMatchObject({ data: { b: 2 }, isNew: true });
      const [cookie] = setCookies(regenerated);
      expect(codec.open(cookie.value)).toEqual({ b: 2 });
      expect(sealTimes(cookie.value).createdAt).toBeGreaterThanOrEqual(created + 1000);
    } finally {
      clock.uninstall();
    }
  });
});

describe.each(PLATFORMS)(
  'Passport-style regenerate(cb) and save(cb) on request.session, on %s',
  (platform) => {
    it('calls back, swaps request.session for the new session and writes it', async () => {
      const app = await createApp(platform, {
        controllers: [SessionController],
        configure: (a) =>
          a.use((req: any, res: any, next: () => void) => {
            if (req.url !== '/passport-login') return next();
            // What passport's SessionManager.logIn does (Passport 0.6+).
            const previous = req.session;
            req.session.regenerate((err?: unknown) => {
              if (err) return next();
              req.session.passport = { user: 'alice' };
              req.session.save(() => {
                res.setHeader('content-type', 'application/json');
                res.end(
                  JSON.stringify({
                    swapped: previous !== req.session,
                    previousKept: 'old' in req.session,
                  }),
                );
              });
            });
          }),
      });
      try {
        const fresh = await request(app.getHttpServer())
          .post('/set')
          .send({ old: true })
          .expect(201);
        const login = await request(app.getHttpServer())
          .get('/passport-login')
          .set('Cookie', cookieHeader(fresh))
          .expect(200);
        expect(login.body).toEqual({ swapped: true, previousKept: false });
        expect(codec.open(setCookies(login)[0].value)).toEqual({ passport: { user: 'alice' } });
      } finally {
        await app.close();
      }
    });

    it('save(cb) writes an unchanged session even with autoRenew off', async () => {
      const app = await createApp(platform, {
        session: { autoRenew: false },
        controllers: [SessionController],
        configure: (a) =>
          a.use((req: any, res: any, next: () => void) => {
            if (req.url !== '/save') return next();
            req.session.save(() => res.end('saved'));
          }),
      });
      try {
        const fresh = await request(app.getHttpServer()).post('/set').send({ a: 1 }).expect(201);
        const unchanged = await request(app.getHttpServer())
          .get('/read')
          .set('Cookie', cookieHeader(fresh))
          .expect(200);
        expect(setCookies(unchanged)).toEqual([]);
        const saved = await request(app.getHttpServer())
          .get('/save')
          .set('Cookie', cookieHeader(fresh))
          .expect(200);
        expect(setCookies(saved).map((c) => c.name)).toEqual([NAME]);
      } finally {
        await app.close();
      }
    });
  },
);
