import { Controller, Get } from '@nestjs/common';
import { Session } from '../../lib/index.js';

/** `/whoami`: the session's user and whether the session is new, as a switched app answers. */
@Controller()
export class WhoAmIController {
  @Get('whoami')
  whoami(@Session() session: Session) {
    return { user: session.user ?? null, isNew: session.isNew };
  }
}
