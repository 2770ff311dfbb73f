import { Body, Controller, Get, Post, Redirect } from '@nestjs/common';
import { Session, SessionService } from 'nest-cookie-session';
import { REMEMBER_ME_MAX_AGE, type AppSession } from './app-session.js';
import { setFlash } from './flash.js';
import { escapeHtml, page } from './html.js';
import { DEMO_USERS, UsersService } from './users.service.js';

/** The login form's fields (an urlencoded body, which Nest's Express adapter parses). */
interface LoginForm {
  name?: unknown;
  password?: unknown;
  rememberMe?: unknown;
}

const text = (value: unknown, max: number) =>
  typeof value === 'string' ? value.trim().slice(0, max) : '';

@Controller()
export class AuthController {
  constructor(
    private readonly sessions: SessionService,
    private readonly users: UsersService,
  ) {}

  @Get('login')
  loginForm(@Session() session: Session<AppSession>): string {
    const current = session.user
      ? `<p class="muted">You are logged in as ${escapeHtml(session.user)}.</p>`
      : '';
    const demo = Object.entries(DEMO_USERS)
      .map(([name, password]) => `<code>${name}</code> / <code>${password}</code>`)
      .join(' or ');
    return page(
      session,
      'Log in',
      `<h1>Log in</h1>
    ${current}
    <form method="post" action="/login">
      <label>Name <input type="text" name="name" required maxlength="40" autocomplete="username" autofocus></label>
      <label>Password <input type="password" name="password" required maxlength="100" autocomplete="current-password"></label>
      <label><input type="checkbox" name="rememberMe"> Remember me for 30 days</label>
      <button type="submit">Log in</button>
    </form>
    <p class="muted">Try ${demo}.</p>`,
    );
  }

  /** Checks the password, then stores the user in a new session and shows the profile (303: GET it). */
  @Post('login')
  @Redirect('/profile', 303)
  async login(@Body() form: LoginForm): Promise<{ url: string } | void> {
    const name = await this.users.verify(text(form.name, 40), text(form.password, 100));
    if (name === undefined) {
      setFlash(this.sessions.get<AppSession>(), 'Wrong name or password.');
      return { url: '/login' };
    }
    // A fresh session (new creation time) for the logged-in user: nothing from before carries
    // over, so a session planted in this browser before the login is worth nothing.
    const session = this.sessions.regenerate<AppSession>();
    session.user = name;
    session.stamp = this.users.stampOf(name);
    if (form.rememberMe) {
      session.rememberMe = true;
      // Chosen once, here: the lifetime is sealed into the cookie and every renewal keeps it.
      this.sessions.options.maxAge = REMEMBER_ME_MAX_AGE;
    }
    setFlash(session, `Welcome, ${name}!`);
  }

  /** Ends the session: the response expires the cookie. */
  @Post('logout')
  @Redirect('/', 303)
  logout(): void {
    this.sessions.destroy();
    // After destroy() the session is a new, empty one, with the default lifetime: the flash
    // goes out in a new cookie, and the old session's "remember me" is gone.
    setFlash(this.sessions.get<AppSession>(), 'You have been logged out.');
  }
}
