import { Controller, Get, Res, type INestApplication } from '@nestjs/common';
import request from 'supertest';
import { Session, SessionCodec } from '../../lib/index.js';
import { setCookies } from '../support/cookies.js';
import { moduleWarnings, recordingLogger } from './support/recording-logger.js';
import { PLATFORMS, SECRET, createApp } from './support/create-app.js';

const codec = new SessionCodec({ secret: SECRET });

/** Starts the body, then changes the session: the headers, and the cookie, have already left. */
function streamThenChange(session: Session, res: any, keys: string[]): void {
  if (typeof res.hijack === 'function') res.hijack();
  const raw = res.raw ?? res;
  raw.statusCode = 200;
  raw.write('first ');
  for (const key of keys) session[key] = 'too late';
  raw.end('last');
}

@Controller('late')
class LateController {
  @Get('one')
  one(@Session() session: Session, @Res() res: any) {
    session.early = true;
    streamThenChange(session, res, ['cart', 'cart']);
  }

  @Get('two')
  two(@Session() session: Session, @Res() res: any) {
    streamThenChange(session, res, ['cart', 'theme']);
  }
}

describe.each(PLATFORMS)('changes after the headers were sent, on %s', (platform) => {
  let app: INestApplication;
  const logger = recordingLogger();
  const sessionWarnings = () => moduleWarnings(logger);

  beforeAll(async () => {
    app = await createApp(platform, {
      controllers: [LateController],
      configure: (a) => a.useLogger(logger),
    });
  });
  afterAll(() => app.close());
  beforeEach(() => logger.warn.mockClear());
  const http = () => request(app.getHttpServer());

  it('keeps what was there when the headers left, and logs the lost change once, naming key and route', async () => {
    const res = await http().get('/late/one').expect(200);
    expect(res.text).toBe('first last');
    expect(codec.open(setCookies(res)[0].value)).toEqual({ early: true });
    await http().get('/late/one').expect(200);
    const warnings = sessionWarnings();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('"cart"');
    expect(warnings[0]).toContain('"GET /late/one"');
    expect(warnings[0]).toMatch(/lost/);
    expect(warnings[0]).not.toContain('too late'); // keys only, never values
  });

  it('logs each further key once, naming the route where it first happened', async () => {
    await http().get('/late/one').expect(200);
    logger.warn.mockClear();
    await http().get('/late/two?page=1').expect(200);
    await http().get('/late/two?page=2').expect(200);
    // "cart" was reported on /late/one already: a kind of change is said once, whatever the URL.
    const warnings = sessionWarnings();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('"theme"');
    expect(warnings[0]).toContain('"GET /late/two"');
  });
});
