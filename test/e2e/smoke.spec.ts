import { Controller, Get, Post, Req } from '@nestjs/common';
import request from 'supertest';
import { Session } from '../../lib/index.js';
import { PLATFORMS, createApp } from './support/create-app.js';
import { cookieHeader } from '../support/cookies.js';

@Controller()
class CounterController {
  @Get('count')
  count(@Session() session: Session<{ views?: number }>) {
    session.views = (session.views ?? 0) + 1;
    return { views: session.views };
  }
  @Post('count')
  countPost(@Req() req: any) {
    req.session.views = (req.session.views ?? 0) + 1;
    return { views: req.session.views };
  }
}

describe.each(PLATFORMS)('a session across requests, on %s', (platform) => {
  it('counts views through @Session() and request.session, the count carried in the cookie', async () => {
    const app = await createApp(platform, { controllers: [CounterController] });
    try {
      const server = app.getHttpServer();
      let jar = '';
      for (let i = 1; i <= 3; i++) {
        const res = await request(server).get('/count').set('Cookie', jar);
        expect(res.body).toEqual({ views: i });
        jar = cookieHeader(res, jar);
      }
      const res = await request(server).post('/count').set('Cookie', jar).send({ a: 1 });
      expect(res.body).toEqual({ views: 4 });
    } finally {
      await app.close();
    }
  });
});
