import { Body, Controller, Post, Req } from '@nestjs/common';
import request from 'supertest';
import { Session, SessionCodec, SessionService } from '../../lib/index.js';
import { cookieHeader, setCookies } from '../support/cookies.js';
import { sealTimes } from '../support/seal.js';
import { PLATFORMS, SECRET } from './support/create-app.js';
import { clockedApps } from './support/clocked-apps.js';
import { SessionController } from './support/session.controller.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const codec = new SessionCodec({ secret: SECRET });

@Controller()
class LoginController {
  constructor(private readonly sessions: SessionService) {}

  @Post('login')
  login(@Session() session: Session, @Body() body: { remember?: boolean }) {
    session.user = 'alice';
    // Chosen once, at login: the seal carries it from then on.
    if (body.remember) this.sessions.options.maxAge = 30 * DAY;
    return { ok: true };
  }

  @Post('login-short')
  loginShort(@Session() session: Session) {
    session.user = 'alice';
    // "Remember me" unticked where the module's lifetime is the long one.
    this.sessions.options.maxAge = 2 * HOUR;
    return { ok: true };
  }

  @Post('theme')
  theme(@Session() session: Session, @Req() req: any) {
    const raw = req.raw ?? req;
    session.theme = 'dark';
    // Read back and set again: the lifetime the session has must stay.
    raw.sessionOptions = { ...raw.sessionOptions, sameSite: 'strict' };
    return { maxAge: raw.sessionOptions.maxAge };
  }

  @Post('recipe')
  recipe(@Session() session: Session, @Req() req: any) {
    const raw = req.raw ?? req;
    session.visits = ((session.visits as number) ?? 0) + 1;
    // cookie-session's documented way to keep a per-session maxAge on every write.
    raw.sessionOptions.maxAge = (session.maxAge as number) || raw.sessionOptions.maxAge;
    return { maxAge: raw.sessionOptions.maxAge };
  }

  @Post('extend')
  extend(@Session() session: Session, @Req() req: any) {
    session.extended = true;
    (req.sessionOptions.expires as Date).setTime(req.sessionOptions.expires.getTime() + HOUR);
    return { ok: true };
  }
}

describe.each(PLATFORMS)('remember me, on %s', (platform) => {
  const { clock, open } = clockedApps(platform, {
    controllers: [SessionController, LoginController],
  });

  it('gives the login response itself the long Max-Age, and the seal that lifetime', async () => {
    const http = await open();
    const login = await http().post('/login').send({ remember: true }).expect(201);
    const [cookie] = setCookies(login);
    expect(cookie.attributes['max-age']).toBe(String((30 * DAY) / 1000));
    const times = sealTimes(cookie.value);
    expect(times.lifetime).toBe(30 * DAY);
    expect(times.expiresAt - times.issuedAt).toBe(30 * DAY);
    const plain = await http().post('/login').send({}).expect(201);
    expect(setCookies(plain)[0].attributes['max-age']).toBe(String(DAY / 1000));
    expect(sealTimes(setCookies(plain)[0].value).lifetime).toBe(0);
  });

  it('slides a lifetime chosen shorter than renewAfter: renewed at half of it', async () => {
    const http = await open({ session: { maxAge: 30 * DAY, renewAfter: DAY } });
    let jar = cookieHeader(await http().post('/login-short').expect(201));
    // Active every 40 minutes for 4 hours: twice the session's own lifetime.
    for (let i = 0; i < 6; i++) {
      clock.advance(40 * 60_000);
      const res = await http().get('/read').set('Cookie', jar).expect(200);
      expect(res.body.data).toEqual({ user: 'alice' });
      jar = cookieHeader(res, jar);
    }
  });

  it('keeps the chosen lifetime in later renewals without the application setting it again', async () => {
    const http = await open({ session: { renewAfter: 0 } });
    const login = await http().post('/login').send({ remember: true }).expect(201);
    let jar = cookieHeader(login);
    for (let i = 0; i < 2; i++) {
      clock.advance(20 * DAY); // beyond the module's maxAge, within the chosen lifetime
      const res = await http().get('/read').set('Cookie', jar).expect(200);
      expect(res.body).toMatchObject({ data: { user: 'alice' }, isChanged: false });
      const [cookie] = setCookies(res);
      expect(cookie.attributes['max-age']).toBe(String((30 * DAY) / 1000));
      expect(sealTimes(cookie.value).lifetime).toBe(30 * DAY);
      jar = cookieHeader(res, jar);
    }
  });

  it('keeps a remembered session persistent under sessionCookie, and only that one', async () => {
    const http = await open({ session: { sessionCookie: true, renewAfter: 0 } });
    const plain = await http().post('/login').send({}).expect(201);
    expect(setCookies(plain)[0].attributes['max-age']).toBeUndefined();
    expect(setCookies(plain)[0].attributes.expires).toBeUndefined();
    const remembered = await http().post('/login').send({ remember: true }).expect(201);
    expect(setCookies(remembered)[0].attributes['max-age']).toBe(String((30 * DAY) / 1000));
    clock.advance(HOUR);
    const renewed = await http()
      .get('/untouched')
      .set('Cookie', cookieHeader(remembered))
      .expect(200);
    const [cookie] = setCookies(renewed);
    expect(codec.open(cookie.value)).toEqual({ user: 'alice' });
    expect(cookie.attributes['max-age']).toBe(String((30 * DAY) / 1000));
  });

  it('gives each request a copy of a fixed expires date: changing it moves this response only', async () => {
    const at = Date.now() + 2 * HOUR;
    const expires = new Date(at);
    const http = await open({ session: { expires } });
    const expiresOf = (res: request.Response) => sealTimes(setCookies(res)[0].value).expiresAt;
    expect(expiresOf(await http().post('/extend').expect(201))).toBe(at + HOUR);
    expect(expires.getTime()).toBe(at);
    expect(expiresOf(await http().post('/login').send({}).expect(201))).toBe(at);
    expect(expiresOf(await http().post('/extend').expect(201))).toBe(at + HOUR);
  });

  it("keeps a remembered lifetime when the request's options are read back and set again", async () => {
    const http = await open();
    const login = await http().post('/login').send({ remember: true }).expect(201);
    for (const route of ['/theme', '/recipe']) {
      const res = await http().post(route).set('Cookie', cookieHeader(login)).expect(201);
      expect(res.body).toEqual({ maxAge: 30 * DAY });
      const [cookie] = setCookies(res);
      expect(cookie.attributes['max-age']).toBe(String((30 * DAY) / 1000));
      expect(sealTimes(cookie.value).lifetime).toBe(30 * DAY);
    }
    const theme = await http().post('/theme').set('Cookie', cookieHeader(login)).expect(201);
    expect(setCookies(theme)[0].attributes.samesite).toBe('Strict');
    // A session without a chosen lifetime reads the module's.
    const plain = await http().post('/login').send({}).expect(201);
    const res = await http().post('/theme').set('Cookie', cookieHeader(plain)).expect(201);
    expect(res.body).toEqual({ maxAge: DAY });
    expect(sealTimes(setCookies(res)[0].value).lifetime).toBe(0);
  });
});
