import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  Body,
  Controller,
  Get,
  Post,
  UploadedFile,
  UseInterceptors,
  type INestApplication,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import request from 'supertest';
import { Session, SessionService } from '../../lib/index.js';
import { cookieHeader } from './support/cookies.js';
import { createApp } from './support/create-app.js';

/** `GET /login` logs a new user in, named at random. */
@Controller()
class LoginController {
  @Get('login')
  login(@Session() session: Session) {
    session.user = `user-${Math.random().toString(36).slice(2)}`;
    return { user: session.user };
  }
}

/** Two users logged in to `app`, with their cookies. */
async function twoUsers(app: INestApplication): Promise<{ name: string; cookie: string }[]> {
  const users: { name: string; cookie: string }[] = [];
  for (let i = 0; i < 2; i++) {
    const login = await request(app.getHttpServer()).get('/login').expect(200);
    users.push({ name: (login.body as { user: string }).user, cookie: cookieHeader(login) });
  }
  return users;
}

/** Who each upload's file filter saw in the session, by the user the client said it was. */
const filterSaw = new Map<string, unknown>();
let sessions: SessionService;

@Controller()
class UploadController {
  constructor(service: SessionService) {
    sessions = service;
  }

  @Post('upload')
  @UseInterceptors(
    FileInterceptor('file', {
      fileFilter: (req, _file, accept) => {
        let user: unknown;
        try {
          user = sessions.get().user;
        } catch (error) {
          user = (error as Error).name;
        }
        filterSaw.set(String(req.headers['x-user']), user);
        accept(null, true);
      },
    }),
  )
  upload(@UploadedFile() file: { size: number }) {
    return { size: file.size };
  }
}

const BOUNDARY = 'boundary-of-the-test';
const MULTIPART = `multipart/form-data; boundary=${BOUNDARY}`;

/** A multipart upload whose body arrives in parts, after its headers, as over a real network. */
function slowUpload(
  port: number,
  cookie: string,
  user: string,
  contentType = MULTIPART,
): Promise<number> {
  const head = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\n`;
  const data = 'a'.repeat(20_000);
  const tail = `\r\n--${BOUNDARY}--\r\n`;
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/upload',
        agent: false,
        headers: {
          cookie,
          'x-user': user,
          'content-type': contentType,
          'content-length': String(Buffer.byteLength(head + data + tail)),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.flushHeaders();
    setTimeout(() => req.write(head), 20);
    setTimeout(() => req.write(data), 40);
    setTimeout(() => req.end(tail), 60);
  });
}

/**
 * Upload middleware calls the application back from the body's stream events, which on a real
 * network come after the request entered its handlers' scope.
 */
describe('SessionService in an upload file filter (Express, multer)', () => {
  let app: INestApplication;
  let port: number;
  beforeAll(async () => {
    app = await createApp('express', { controllers: [LoginController, UploadController] });
    await app.listen(0, '127.0.0.1');
    port = (app.getHttpServer().address() as AddressInfo).port;
  });
  afterAll(() => app.close());

  it('sees the session of its own request while two users upload at once', async () => {
    const users = await twoUsers(app);
    const statuses = await Promise.all(users.map((u) => slowUpload(port, u.cookie, u.name)));
    expect(statuses).toEqual([201, 201]);
    expect(Object.fromEntries(filterSaw)).toEqual(
      Object.fromEntries(users.map((u) => [u.name, u.name])),
    );
  });
});

@Controller()
class ThingController {
  @Post('upload')
  upload(@Body() body: { size: number }) {
    return body;
  }
}

/** Fastify reads a body from its stream's events, then hands it to the content-type parser. */
describe('SessionService in a content-type parser (Fastify)', () => {
  const parserSaw = new Map<string, unknown>();
  let app: INestApplication;
  let port: number;
  beforeAll(async () => {
    app = await createApp('fastify', {
      controllers: [LoginController, ThingController],
      configure: (nest) => {
        const fastify = (nest as NestFastifyApplication).getHttpAdapter().getInstance();
        fastify.addContentTypeParser(
          'application/x-thing',
          { parseAs: 'string' },
          async (req: FastifyRequest, body: string) => {
            let user: unknown;
            try {
              user = nest.get(SessionService).get().user;
            } catch (error) {
              user = (error as Error).name;
            }
            parserSaw.set(String(req.headers['x-user']), user);
            return { size: body.length };
          },
        );
      },
    });
    await app.listen(0, '127.0.0.1');
    port = (app.getHttpServer().address() as AddressInfo).port;
  });
  afterAll(() => app.close());

  it('sees the session of its own request while two users send bodies at once', async () => {
    const users = await twoUsers(app);
    const statuses = await Promise.all(
      users.map((u) => slowUpload(port, u.cookie, u.name, 'application/x-thing')),
    );
    expect(statuses).toEqual([201, 201]);
    expect(Object.fromEntries(parserSaw)).toEqual(
      Object.fromEntries(users.map((u) => [u.name, u.name])),
    );
  });
});
