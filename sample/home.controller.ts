import { Controller, Get, Header } from '@nestjs/common';
import { Session } from 'nest-cookie-session';
import type { AppSession } from './app-session.js';
import { escapeHtml, page } from './html.js';

@Controller()
export class HomeController {
  /** A view counter: `@Session()` gives the session object; change it and the cookie follows. */
  @Get()
  @Header('Cache-Control', 'no-store')
  home(@Session() session: Session<AppSession>): string {
    session.views = (session.views ?? 0) + 1;
    const greeting = session.user ? `Hello, ${escapeHtml(session.user)}` : 'Hello';
    return page(
      session,
      'Home',
      `<h1>${greeting}</h1>
    <p>This browser has seen this page</p>
    <p class="count" id="views">${session.views}</p>
    <p>${session.views === 1 ? 'time' : 'times'}. Reload to count on: the number lives in an
      encrypted cookie, not on the server.</p>`,
    );
  }
}
