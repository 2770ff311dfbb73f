import { Controller, Get, type INestApplication } from '@nestjs/common';
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import request from 'supertest';
import { Session } from '../../lib/index.js';
import { FillController } from './support/fill.controller.js';
import { PLATFORMS, SECRET, createApp } from './support/create-app.js';
import { setCookies } from '../support/cookies.js';

// Everything below follows docs/seal-format.md alone, with node:crypto: nothing of the library.
const NAME = '__Host-session';
const MAX_AGE = 3_600_000;
const HEADER = 35;

function derived(secret: string, info: string, length: number): Buffer {
  const salt = Buffer.from('nest-cookie-session');
  return Buffer.from(hkdfSync('sha256', Buffer.from(secret), salt, Buffer.from(info), length));
}
const KEY = derived(SECRET, 'v1 aes-256-gcm key', 32);
const HINT = derived(SECRET, 'v1 key hint', 4);

const TIMES = ['createdAt', 'issuedAt', 'expiresAt', 'validatedAt', 'lifetime'] as const;
type Times = Record<(typeof TIMES)[number], number>;

/** The seal in a response's cookies: the chunks joined in order, up to the first short one. */
function joinedSeal(cookies: { name: string; value: string }[]): string {
  let seal = '';
  for (let i = 0; i < 3; i++) {
    const name = i === 0 ? NAME : `${NAME}.${i}`;
    const chunk = cookies.find((c) => c.name === name)?.value ?? '';
    seal += chunk;
    if (chunk.length < 4096 - name.length - 1) break;
  }
  return seal;
}

function openByHand(seal: string): { version: number; times: Times; data: unknown } {
  const bytes = Buffer.from(seal, 'base64url');
  expect(bytes.toString('base64url')).toBe(seal); // unpadded base64url
  expect(bytes.subarray(1, 5).equals(HINT)).toBe(true);
  const times = Object.fromEntries(
    TIMES.map((field, i) => [field, bytes.readUIntBE(5 + 6 * i, 6)]),
  ) as Times;
  const decipher = createDecipheriv('aes-256-gcm', KEY, bytes.subarray(HEADER, HEADER + 12), {
    authTagLength: 16,
  });
  decipher.setAAD(Buffer.concat([bytes.subarray(0, HEADER), Buffer.from(NAME)]));
  decipher.setAuthTag(bytes.subarray(bytes.length - 16));
  const json = Buffer.concat([
    decipher.update(bytes.subarray(HEADER + 12, bytes.length - 16)),
    decipher.final(),
  ]).toString('utf8');
  return { version: bytes[0], times, data: JSON.parse(json) };
}

function sealByHand(data: unknown, times: Times): string {
  const header = Buffer.alloc(HEADER);
  header[0] = 2;
  HINT.copy(header, 1);
  TIMES.forEach((field, i) => header.writeUIntBE(times[field], 5 + 6 * i, 6));
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', KEY, iv, { authTagLength: 16 });
  cipher.setAAD(Buffer.concat([header, Buffer.from(NAME)]));
  const body = Buffer.concat([cipher.update(JSON.stringify(data), 'utf8'), cipher.final()]);
  return Buffer.concat([header, iv, body, cipher.getAuthTag()]).toString('base64url');
}

@Controller()
class ReadController {
  @Get('read')
  read(@Session() session: Session) {
    return { session: { ...session } };
  }
}

describe.each(PLATFORMS)('the seal as the docs describe it, on %s', (platform) => {
  let app: INestApplication;
  beforeAll(async () => {
    app = await createApp(platform, {
      controllers: [FillController, ReadController],
      session: { maxAge: MAX_AGE, maxChunks: 3 },
    });
  });
  afterAll(() => app?.close());

  it.each([
    ['in one cookie', 100],
    ['over three cookies', 9_000],
  ])('opens a seal the app wrote %s', async (_, bytes) => {
    const before = Date.now();
    const res = await request(app.getHttpServer()).post('/fill').send({ bytes });
    const cookies = setCookies(res);
    expect(cookies.length).toBe(bytes > 4000 ? 3 : 1);
    const { version, times, data } = openByHand(joinedSeal(cookies));
    expect(version).toBe(2);
    expect((data as { blob: string }).blob).toHaveLength(bytes);
    expect(times.createdAt).toBe(times.issuedAt);
    expect(times.issuedAt).toBeGreaterThanOrEqual(before);
    expect(times.issuedAt).toBeLessThanOrEqual(Date.now());
    expect(times.expiresAt - times.issuedAt).toBe(MAX_AGE);
    expect(times.validatedAt).toBe(times.issuedAt); // begun in this request
    expect(times.lifetime).toBe(0);
  });

  it('reads a seal made by hand, and refuses it under another cookie name or with a time changed', async () => {
    const now = Date.now();
    const times = {
      createdAt: now,
      issuedAt: now,
      expiresAt: now + 60_000,
      validatedAt: 0,
      lifetime: 0,
    };
    const seal = sealByHand({ user: 'ada' }, times);
    const read = (cookie: string) =>
      request(app.getHttpServer()).get('/read').set('Cookie', cookie);

    expect((await read(`${NAME}=${seal}`)).body).toEqual({ session: { user: 'ada' } });
    expect((await read(`session=${seal}`)).body).toEqual({ session: {} });
    const later = Buffer.from(seal, 'base64url');
    later.writeUIntBE(now + 120_000, 17, 6); // expiresAt
    expect((await read(`${NAME}=${later.toString('base64url')}`)).body).toEqual({ session: {} });
  });
});
