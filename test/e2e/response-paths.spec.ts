import {
  Body,
  CanActivate,
  Controller,
  ForbiddenException,
  Get,
  Injectable,
  Post,
  Res,
  StreamableFile,
  UseGuards,
  type INestApplication,
} from '@nestjs/common';
import { Readable } from 'node:stream';
import request from 'supertest';
import { Session, SessionCodec, SessionService } from '../../lib/index.js';
import { setCookies } from '../support/cookies.js';
import { PLATFORMS, SECRET, createApp } from './support/create-app.js';

const codec = new SessionCodec({ secret: SECRET });
/** The default name: `Secure`, `Path=/` and no `Domain` allow the `__Host-` prefix. */
const NAME = '__Host-session';

@Injectable()
class RejectingGuard implements CanActivate {
  constructor(private readonly sessions: SessionService) {}
  canActivate(): boolean {
    this.sessions.get().rejectedAt = 'guard';
    return false;
  }
}

@Injectable()
class BodyGuard implements CanActivate {
  constructor(private readonly sessions: SessionService) {}
  canActivate(): boolean {
    // Runs after body parsing, which loses the async context unless the library re-enters it.
    this.sessions.get().guardSawBody = true;
    return true;
  }
}

@Controller('paths')
class PathsController {
  @Get('guard-rejects')
  @UseGuards(RejectingGuard)
  guarded() {
    return 'never';
  }

  @Get('throws')
  throws(@Session() session: Session): never {
    session.thrown = true;
    throw new ForbiddenException('no');
  }

  @Get('manual')
  manual(@Session() session: Session, @Res() res: any) {
    session.manual = true;
    res.status(200).send({ manual: true });
  }

  @Get('streamable')
  streamable(@Session() session: Session) {
    session.streamed = 'streamable';
    return new StreamableFile(Readable.from(['chunk-1 ', 'chunk-2']));
  }

  @Get('raw-stream')
  rawStream(@Session() session: Session, @Res() res: any) {
    session.streamed = 'raw';
    if (typeof res.hijack === 'function') res.hijack();
    const raw = res.raw ?? res;
    raw.statusCode = 200;
    raw.write('first ');
    session.afterHeaders = true; // too late: the headers have left
    setTimeout(() => raw.end('last'), 10);
  }

  @Post('guarded-body')
  @UseGuards(BodyGuard)
  guardedBody(@Session() session: Session, @Body() body: { n: number }) {
    session.n = body.n;
    return { ok: true };
  }

  @Get('foreign-cookie')
  foreign(@Session() session: Session, @Res({ passthrough: true }) res: any) {
    const raw = res.raw ?? res;
    raw.setHeader('set-cookie', [`${NAME}=from-elsewhere; Path=/`, 'theme=dark; Path=/']);
    session.mine = true;
    return { ok: true };
  }
}

describe.each(PLATFORMS)('saving on every way a response is sent, on %s', (platform) => {
  let app: INestApplication;
  beforeAll(async () => {
    app = await createApp(platform, {
      controllers: [PathsController],
      providers: [RejectingGuard, BodyGuard],
    });
  });
  afterAll(() => app.close());
  const http = () => request(app.getHttpServer());

  it('saves what a guard wrote before it rejected the request', async () => {
    const res = await http().get('/paths/guard-rejects').expect(403);
    expect(codec.open(setCookies(res)[0].value)).toEqual({ rejectedAt: 'guard' });
  });

  it('saves what a handler wrote before it threw an HttpException', async () => {
    const res = await http().get('/paths/throws').expect(403);
    expect(codec.open(setCookies(res)[0].value)).toEqual({ thrown: true });
  });

  it('saves with @Res() and a manual send', async () => {
    const res = await http().get('/paths/manual').expect(200);
    expect(res.body).toEqual({ manual: true });
    expect(codec.open(setCookies(res)[0].value)).toEqual({ manual: true });
  });

  it('saves before a StreamableFile body', async () => {
    const res = await http().get('/paths/streamable').expect(200);
    expect(res.text ?? res.body.toString()).toContain('chunk-2');
    expect(codec.open(setCookies(res)[0].value)).toEqual({ streamed: 'streamable' });
  });

  it('saves before a raw streamed body, and only what was there when the headers left', async () => {
    const res = await http().get('/paths/raw-stream').expect(200);
    expect(res.text).toBe('first last');
    expect(codec.open(setCookies(res)[0].value)).toEqual({ streamed: 'raw' });
  });

  it('finds the session through SessionService in a guard of a request with a JSON body', async () => {
    const res = await http().post('/paths/guarded-body').send({ n: 7 }).expect(201);
    expect(codec.open(setCookies(res)[0].value)).toEqual({ guardSawBody: true, n: 7 });
  });

  it('replaces an earlier Set-Cookie of the same name (overwrite) and keeps the others', async () => {
    const res = await http().get('/paths/foreign-cookie').expect(200);
    const cookies = setCookies(res);
    expect(cookies.map((c) => c.name).sort()).toEqual([NAME, 'theme']);
    expect(codec.open(cookies.find((c) => c.name === NAME)!.value)).toEqual({ mine: true });
  });

  it('keeps an earlier Set-Cookie of the same name with overwrite: false', async () => {
    const keep = await createApp(platform, {
      controllers: [PathsController],
      providers: [RejectingGuard, BodyGuard],
      session: { overwrite: false },
    });
    try {
      const res = await request(keep.getHttpServer()).get('/paths/foreign-cookie').expect(200);
      expect(
        setCookies(res)
          .map((c) => c.name)
          .sort(),
      ).toEqual([NAME, NAME, 'theme']);
    } finally {
      await keep.close();
    }
  });
});
