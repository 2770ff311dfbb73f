import { Body, Controller, Param, Post, Req, type INestApplication } from '@nestjs/common';
import request from 'supertest';
import { Session, SessionCodec } from '../../lib/index.js';
import { cookieHeader, setCookies } from '../support/cookies.js';
import { PLATFORMS, SECRET, createApp } from './support/create-app.js';
import { SessionController } from './support/session.controller.js';

const codec = new SessionCodec({ secret: SECRET });
const MEMBERS = ['regenerate', 'isNew', 'populated', 'isChanged', 'save'];

@Controller('members')
class MembersController {
  @Post('assign/:key')
  assign(@Session() session: Session, @Param('key') key: string) {
    try {
      session[key] = 1;
      return { thrown: null };
    } catch (error) {
      return { thrown: (error as Error).name, message: (error as Error).message };
    }
  }

  @Post('assign-uncaught/:key')
  assignUncaught(@Session() session: Session, @Param('key') key: string) {
    session[key] = 1;
    return { ok: true };
  }

  /** Merges a form into the session, then logs in as Passport does. */
  @Post('merge-then-login')
  async mergeThenLogin(@Req() req: any, @Body() body: Record<string, unknown>) {
    req.session = { ...req.session, ...body };
    const merged = { ...req.session };
    await new Promise<void>((resolve, reject) =>
      req.session.regenerate((err?: unknown) => (err ? reject(err) : resolve())),
    );
    req.session.passport = { user: 'alice' };
    return { merged, isNew: req.session.isNew };
  }

  @Post('unserialisable')
  unserialisable(@Session() session: Session) {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    session.big = BigInt(1);
    const withBigInt = session.isChanged;
    delete session.big;
    session.cycle = cycle;
    const withCycle = session.isChanged;
    delete session.cycle;
    return { withBigInt, withCycle };
  }
}

describe.each(PLATFORMS)('the session object’s own members, on %s', (platform) => {
  let app: INestApplication;
  beforeAll(async () => {
    app = await createApp(platform, { controllers: [SessionController, MembersController] });
  });
  afterAll(() => app.close());
  const http = () => request(app.getHttpServer());

  it.each(MEMBERS)('refuses an assignment to %s with a TypeError naming it', async (key) => {
    const res = await http().post(`/members/assign/${key}`).expect(201);
    expect(res.body.thrown).toBe('TypeError');
    expect(res.body.message).toContain(key);
    expect(setCookies(res)).toEqual([]);
  });

  it.each(['regenerate', 'isNew'])(
    'answers 500 when a handler assigns %s, writing no cookie',
    async (key) => {
      const res = await http().post(`/members/assign-uncaught/${key}`).expect(500);
      expect(setCookies(res)).toEqual([]);
    },
  );

  it('skips members when the session is replaced by a merge, and regenerate(cb) still works', async () => {
    const login = await http().post('/set').send({ cart: 3 }).expect(201);
    const res = await http()
      .post('/members/merge-then-login')
      .set('Cookie', cookieHeader(login))
      .send({ regenerate: 1, isNew: 'yes', theme: 'dark' })
      .expect(201);
    expect(res.body).toEqual({ merged: { cart: 3, theme: 'dark' }, isNew: true });
    expect(codec.open(setCookies(res)[0].value)).toEqual({ passport: { user: 'alice' } });
  });

  it('reports isChanged as true for a BigInt or a cycle, without throwing', async () => {
    const res = await http().post('/members/unserialisable').expect(201);
    expect(res.body).toEqual({ withBigInt: true, withCycle: true });
    expect(setCookies(res)).toEqual([]);
  });
});
