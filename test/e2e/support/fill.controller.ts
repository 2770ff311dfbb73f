import { Body, Controller, Post } from '@nestjs/common';
import { Session } from '../../../lib/index.js';

/** `POST /fill { bytes }` stores that many characters, to make a session of a chosen size. */
@Controller()
export class FillController {
  @Post('fill')
  fill(@Session() session: Session, @Body() body: { bytes: number }) {
    // Random-looking text, so the size is what the seal needs (no compression to hide it).
    session.blob = Array.from({ length: body.bytes }, (_, i) =>
      String.fromCharCode(97 + ((i * 7919) % 26)),
    ).join('');
    return { ok: true };
  }
}
