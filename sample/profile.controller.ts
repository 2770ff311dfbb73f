import { Controller, Get, Header, Post, Redirect, UseFilters, UseGuards } from '@nestjs/common';
import { Session } from 'nest-cookie-session';
import type { AppSession } from './app-session.js';
import { setFlash } from './flash.js';
import { escapeHtml, page } from './html.js';
import { LoggedInGuard } from './logged-in.guard.js';
import { LoginRequiredFilter } from './login-required.filter.js';
import { UsersService } from './users.service.js';

/** Only for logged-in users: the guard checks the session, the filter redirects the others. */
@Controller('profile')
@UseGuards(LoggedInGuard)
@UseFilters(LoginRequiredFilter)
export class ProfileController {
  constructor(private readonly users: UsersService) {}

  /**
   * `no-store`: a page built from the session must not come back from the browser's cache (the
   * Back button after logout on a shared computer).
   */
  @Get()
  @Header('Cache-Control', 'no-store')
  profile(@Session() session: Session<AppSession>): string {
    const lifetime = session.rememberMe ? '30 days' : '24 hours';
    return page(
      session,
      'Profile',
      `<h1>Profile</h1>
    <p>Name: <strong id="name">${escapeHtml(session.user!)}</strong></p>
    <p>Remember me: <strong id="remember-me">${session.rememberMe ? 'yes' : 'no'}</strong></p>
    <p class="muted">Your session lasts <span id="lifetime">${lifetime}</span>; using the site
      renews it (once it is half used up).</p>
    <form method="post" action="/profile/logout-everywhere">
      <p>Logged in on another computer you no longer use?</p>
      <button type="submit" id="logout-everywhere">Log out everywhere else</button>
    </form>`,
    );
  }

  /**
   * Bumps the user's stamp: every session stamped before ends on its next request (the session
   * module's `validate` refuses it). This browser takes the new stamp and stays logged in.
   */
  @Post('logout-everywhere')
  @Redirect('/profile', 303)
  logoutEverywhere(@Session() session: Session<AppSession>): void {
    session.stamp = this.users.bumpStamp(session.user!);
    setFlash(session, 'Your other browsers are logged out.');
  }
}
