import { Body, Controller, Get, Post, Req } from '@nestjs/common';
import { Session, SessionService } from '../../../lib/index.js';

/** What a request saw of its session: data, and the non-enumerable members. */
export function describeSession(session: Session) {
  return {
    data: JSON.parse(JSON.stringify(session)),
    keys: Object.keys(session),
    isNew: session.isNew,
    populated: session.populated,
    isChanged: session.isChanged,
  };
}

/** Routes most e2e suites share. */
@Controller()
export class SessionController {
  constructor(private readonly sessions: SessionService) {}

  @Get('read')
  read(@Session() session: Session) {
    return describeSession(session);
  }

  @Get('untouched')
  untouched() {
    return { ok: true };
  }

  @Post('set')
  set(@Session() session: Session, @Body() body: Record<string, unknown>) {
    Object.assign(session, body);
    return describeSession(session);
  }

  @Post('replace')
  replace(@Req() req: { session: unknown }, @Body() body: Record<string, unknown>) {
    req.session = body;
    return describeSession(req.session as Session);
  }

  @Post('clear-keys')
  clearKeys(@Session() session: Session) {
    for (const key of Object.keys(session)) delete session[key];
    return describeSession(session);
  }

  @Post('destroy')
  destroy() {
    this.sessions.destroy();
    return { ok: true };
  }

  @Post('null')
  destroyWithNull(@Req() req: { session: unknown }) {
    req.session = null;
    return { ok: true };
  }

  @Post('regenerate')
  regenerate(@Body() body: Record<string, unknown>) {
    const fresh = this.sessions.regenerate();
    Object.assign(fresh, body);
    return describeSession(fresh);
  }

  @Post('count')
  count(@Session() session: Session<{ views?: number }>) {
    session.views = (session.views ?? 0) + 1;
    return { views: session.views };
  }
}
