import { Body, Controller, Get, Post, Redirect } from '@nestjs/common';
import { Session, SessionService } from 'nest-cookie-session';
import type { AppSession } from './app-session.js';
import { setFlash } from './flash.js';
import { escapeHtml, page } from './html.js';
import { applyRememberMe } from './remember-me.middleware.js';

/** The login form's fields (an urlencoded body, which Nest's Express adapter parses). */
interface LoginForm {
  name?: unknown;
  rememberMe?: unknown;
}

@Controller()
export class AuthController {
  constructor(private readonly sessions: SessionService) {}

  @Get('login')
  loginForm(@Session() session: Session<AppSession>): string {
    const current = session.user
      ? `<p class="muted">You are logged in as ${escapeHtml(session.user.name)}.</p>`
      : '';
    return page(
      session,
      'Log in',
      `<h1>Log in</h1>
    ${current}
    <form method="post" action="/login">
      <label>Your name <input type="text" name="name" required maxlength="40" autofocus></label>
      <label><input type="checkbox" name="rememberMe"> Remember me for 30 days</label>
      <button type="submit">Log in</button>
    </form>`,
    );
  }

  /** Stores the user in a new session, then sends the browser to its profile (303: GET it). */
  @Post('login')
  @Redirect('/profile', 303)
  login(@Body() form: LoginForm): { url: string } | void {
    const name = typeof form.name === 'string' ? form.name.trim().slice(0, 40) : '';
    if (!name) {
      setFlash(this.sessions.get<AppSession>(), 'Please enter your name.');
      return { url: '/login' };
    }
    // A fresh session (new creation time) for the logged-in user: nothing from before carries over.
    const session = this.sessions.regenerate<AppSession>();
    session.user = { name };
    if (form.rememberMe) session.rememberMe = true;
    // RememberMeMiddleware set this response's lifetime from the session that came in; the
    // session is now another one, so apply the rule again: 30 days if the box was ticked.
    applyRememberMe(session, this.sessions.options);
    setFlash(session, `Welcome, ${name}!`);
  }

  /** Ends the session: the response expires the cookie. */
  @Post('logout')
  @Redirect('/', 303)
  logout(): void {
    this.sessions.destroy();
    // After destroy() the session is a new, empty one. Data put in it now (the flash) goes out
    // in a new cookie, with the default lifetime: the old session's "remember me" is gone.
    const session = this.sessions.get<AppSession>();
    applyRememberMe(session, this.sessions.options);
    setFlash(session, 'You have been logged out.');
  }
}
