import { Controller, Get, UseFilters, UseGuards } from '@nestjs/common';
import { Session, SessionService } from 'nest-cookie-session';
import type { AppSession } from './app-session.js';
import { escapeHtml, page } from './html.js';
import { LoggedInGuard } from './logged-in.guard.js';
import { LoginRequiredFilter } from './login-required.filter.js';

/** Only for logged-in users: the guard checks the session, the filter redirects the others. */
@Controller('profile')
@UseGuards(LoggedInGuard)
@UseFilters(LoginRequiredFilter)
export class ProfileController {
  constructor(private readonly sessions: SessionService) {}

  @Get()
  profile(@Session() session: Session<AppSession>): string {
    const days = this.sessions.options.maxAge / (24 * 60 * 60 * 1000);
    const lifetime = days >= 2 ? `${days} days` : `${days * 24} hours`;
    return page(
      session,
      'Profile',
      `<h1>Profile</h1>
    <p>Name: <strong id="name">${escapeHtml(session.user!.name)}</strong></p>
    <p>Remember me: <strong id="remember-me">${session.rememberMe ? 'yes' : 'no'}</strong></p>
    <p class="muted">Your session ends <span id="lifetime">${lifetime}</span> after your last
      visit: every response renews the cookie.</p>`,
    );
  }
}
