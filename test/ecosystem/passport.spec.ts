import {
  Controller,
  Get,
  Injectable,
  Post,
  Req,
  UnauthorizedException,
  UseGuards,
  type CanActivate,
  type ExecutionContext,
  type INestApplication,
} from '@nestjs/common';
import { AuthGuard, PassportModule, PassportSerializer, PassportStrategy } from '@nestjs/passport';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Request } from 'express';
import passport from 'passport';
import { Strategy } from 'passport-local';
import request from 'supertest';
import { Session, SessionCodec, SessionService } from '../../lib/index.js';
import { PLATFORMS, SECRET, createApp, type Platform } from '../e2e/support/create-app.js';
import { cookieHeader, setCookies } from '../e2e/support/cookies.js';
import { sealTimes } from '../support/seal.js';

interface User {
  id: number;
  username: string;
}

@Injectable()
class UsersService {
  private readonly users = [{ id: 1, username: 'alice', password: 'wonderland' }];

  check(username: string, password: string): User | undefined {
    const user = this.users.find((u) => u.username === username && u.password === password);
    return user && { id: user.id, username: user.username };
  }

  byId(id: number): User | undefined {
    const user = this.users.find((u) => u.id === id);
    return user && { id: user.id, username: user.username };
  }
}

@Injectable()
class LocalStrategy extends PassportStrategy(Strategy) {
  constructor(private readonly users: UsersService) {
    super();
  }

  validate(username: string, password: string): User {
    const user = this.users.check(username, password);
    if (!user) throw new UnauthorizedException();
    return user;
  }
}

/** The session keeps the user's id only; every request loads the user again. */
@Injectable()
class SessionSerializer extends PassportSerializer {
  constructor(private readonly users: UsersService) {
    super();
  }

  serializeUser(user: User, done: (err: Error | null, id?: number) => void): void {
    done(null, user.id);
  }

  deserializeUser(id: number, done: (err: Error | null, user?: User | false) => void): void {
    done(null, this.users.byId(id) ?? false);
  }
}

/** Checks the credentials, then logs the user in: Passport regenerates the session. */
@Injectable()
class LocalAuthGuard extends AuthGuard('local') {
  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const result = (await super.canActivate(context)) as boolean;
    await super.logIn(context.switchToHttp().getRequest());
    return result;
  }
}

@Injectable()
class AuthenticatedGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    return context.switchToHttp().getRequest<Request>().isAuthenticated();
  }
}

@Controller()
class AuthController {
  @Post('cart')
  addToCart(@Session() session: Session<{ cart?: string[] }>) {
    session.cart = ['apple'];
    return { cart: session.cart };
  }

  @UseGuards(LocalAuthGuard)
  @Post('login')
  login(@Req() req: Request) {
    return { user: req.user };
  }

  @UseGuards(AuthenticatedGuard)
  @Get('profile')
  profile(@Req() req: Request) {
    return { user: req.user };
  }

  @Post('logout')
  logout(@Req() req: Request): Promise<{ ok: true }> {
    return new Promise((resolve, reject) =>
      req.logout((err) => (err ? reject(err) : resolve({ ok: true }))),
    );
  }
}

/** Passport's middleware: `app.use` on Express; Fastify hooks on Fastify (see the README). */
function usePassport(app: INestApplication, platform: Platform): void {
  if (platform === 'express') {
    app.use(passport.initialize());
    app.use(passport.session());
  } else {
    const fastify = (app as NestFastifyApplication).getHttpAdapter().getInstance();
    fastify.addHook('preHandler', passport.initialize() as never);
    fastify.addHook('preHandler', passport.session() as never);
  }
}

const codec = new SessionCodec({ secret: SECRET });

/** The data and creation time sealed in a `Cookie` header's session cookie. */
function openSession(cookie: string) {
  const value = /(?:^|; )__Host-session=([^;]*)/.exec(cookie)?.[1];
  if (value === undefined) return undefined;
  return { data: codec.open(value), createdAt: sealTimes(value).createdAt };
}

describe.each(PLATFORMS)('Passport (@nestjs/passport, passport-local) on %s', (platform) => {
  let app: INestApplication;
  let server: ReturnType<INestApplication['getHttpServer']>;

  beforeAll(async () => {
    app = await createApp(platform, {
      imports: [PassportModule],
      controllers: [AuthController],
      providers: [UsersService, LocalStrategy, SessionSerializer],
      configure: (app) => usePassport(app, platform),
    });
    server = app.getHttpServer();
  });

  afterAll(async () => {
    await app?.close();
  });

  const logIn = (cookie = '', password = 'wonderland') =>
    request(server).post('/login').set('Cookie', cookie).send({ username: 'alice', password });

  it('logs in, restores req.user from the session on the next request, and logs out', async () => {
    const login = await logIn();
    expect(login.status).toBe(201);
    expect(login.body).toEqual({ user: { id: 1, username: 'alice' } });
    const loggedIn = cookieHeader(login);
    // Only what serializeUser returned is stored.
    expect(openSession(loggedIn)?.data).toEqual({ passport: { user: 1 } });

    // passport.session() deserialized the user from the cookie alone.
    const profile = await request(server).get('/profile').set('Cookie', loggedIn);
    expect(profile.status).toBe(200);
    expect(profile.body).toEqual({ user: { id: 1, username: 'alice' } });

    const logout = await request(server).post('/logout').set('Cookie', loggedIn);
    expect(logout.status).toBe(201);
    const loggedOut = cookieHeader(logout, loggedIn);
    // Logout destroys the session: the cookie is expired rather than an empty session sealed.
    expect(loggedOut).toBe('');

    const after = await request(server).get('/profile').set('Cookie', loggedOut);
    expect(after.status).toBe(403);
  });

  it('refuses the guarded route without a login, and a wrong password', async () => {
    expect((await request(server).get('/profile')).status).toBe(403);
    const wrong = await logIn('', 'guess');
    expect(wrong.status).toBe(401);
    expect(setCookies(wrong)).toEqual([]);
  });

  it('starts a new session at login: nothing of the pre-login session carries over', async () => {
    const visit = await request(server).post('/cart');
    const anonymous = cookieHeader(visit);
    const before = openSession(anonymous);
    expect(before?.data).toEqual({ cart: ['apple'] });

    await new Promise((resolve) => setTimeout(resolve, 5));
    const login = await logIn(anonymous);
    expect(login.status).toBe(201);
    const after = openSession(cookieHeader(login));
    expect(after?.data).toEqual({ passport: { user: 1 } });
    expect(after!.createdAt).toBeGreaterThan(before!.createdAt);

    // The cookie from before the login (which an attacker could have planted) stays anonymous.
    expect((await request(server).get('/profile').set('Cookie', anonymous)).status).toBe(403);
  });

  it('lets a test skip the login form: toCookieHeader() with what serializeUser stores', async () => {
    const cookie = app.get(SessionService).toCookieHeader({ passport: { user: 1 } });
    const profile = await request(server).get('/profile').set('Cookie', cookie);
    expect(profile.status).toBe(200);
    expect(profile.body).toEqual({ user: { id: 1, username: 'alice' } });
  });
});
