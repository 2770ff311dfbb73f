// `node bench/tools/steps.mjs [requests] [--after-app]` (after `npm run build`): what the
// module's own steps of an Express `/count` request cost outside Nest and Express, next to the
// contract bound's steps done the same way. Set beside the same two served by whole apps
// (`compare.mjs express-contract-count:/count express-ours:/count`), it tells how much of the
// distance between them is the module's code itself. With `--after-app`, a request to a bare
// Nest app (no session) is served, untimed, before each step, so that the steps run as they do
// inside an app: after the framework's code, not hot in a tight loop. Each step is timed alone.
//
// Per request, on a fresh Node request and response:
// - ours: the entry step (the cookie read, the seal's header peeked), the request scope, the
//   cross-origin check, the session opened (a remembered seal) and changed, the interceptor's
//   early seal, then the response's headers (the seal checked and its lines set);
// - bound: the request scope, the cookie found by a regular expression and kept on the request,
//   the session parsed from its JSON and changed, then at the headers one plain node:crypto
//   seal and two headers (as the contract bound's app does);
// - none: the response's headers alone.
import http from 'node:http';
import net from 'node:net';
import inject from 'light-my-request';
import { crossOriginRefusal } from '../../dist/cookie/cross-origin.js';
import { requestScope } from '../../dist/platform/request-scope.js';
import {
  RAW_ACCESSORS,
  RUNTIME,
  enterRequest,
  sessionOf,
} from '../../dist/platform/session-request.js';
import { SessionRuntime } from '../../dist/session/session-runtime.js';
import { CookieJar, setCookieOf } from '../cookie-jar.mjs';
import { SESSION_JSON, findSessionCookie, writeSession } from '../diagnostics.mjs';
import { SECRET, createApp } from '../http-app.mjs';
import { floor } from '../floor.mjs';
import { median, num, table } from '../format.mjs';

const afterApp = process.argv.includes('--after-app');
const requests = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? (afterApp ? 5_000 : 30_000));
const ROUNDS = 7; // the first is warm-up
const quiet = { log() {}, warn() {}, error: (message) => console.error(message) };
const runtime = new SessionRuntime({ secret: SECRET }, quiet);

// The request prototype gets the module's accessors, as the Express app's does.
const requestPrototype = Object.create(http.IncomingMessage.prototype);
Object.defineProperties(requestPrototype, RAW_ACCESSORS);
Object.defineProperty(requestPrototype, RUNTIME, { value: runtime });
const socket = new net.Socket();

function exchange(cookie) {
  const req = Object.setPrototypeOf(new http.IncomingMessage(socket), requestPrototype);
  req.method = 'GET';
  req.url = '/count';
  req.headers = { host: '127.0.0.1:3000', accept: '*/*', cookie };
  const res = new http.ServerResponse(req);
  req.res = res;
  return { req, res };
}

// Ours' cookies, kept and sent back as a browser would.
const jar = new CookieJar();
const keepCookies = (res) => jar.update(setCookieOf(res.getHeaders()));
{
  const { req, res } = exchange('');
  enterRequest(req, runtime, req);
  Object.assign(sessionOf(req).current, JSON.parse(SESSION_JSON));
  res.writeHead(200);
  keepCookies(res);
}
const sealer = floor();

const STEPS = {
  none({ res }) {
    res.writeHead(200);
  },
  bound({ req, res }) {
    requestScope.run(req, () => {
      findSessionCookie(req);
      writeSession(req, res, sealer);
    });
    res.writeHead(200);
  },
  ours({ req, res }) {
    enterRequest(req, runtime, req);
    requestScope.run(req, () => {
      crossOriginRefusal(req.method, req.headers, runtime.options.csrf);
      const session = sessionOf(req).current;
      session.views = (session.views ?? 0) + 1;
      sessionOf(req).prepare();
    });
    res.writeHead(200);
  },
};

/** What runs, untimed, before each step. */
let before = async () => {};
if (afterApp) {
  const app = await createApp('express-none');
  await app.init();
  const express = app.getHttpAdapter().getInstance();
  before = () => inject(express, { method: 'GET', url: '/plain' });
}

const names = Object.keys(STEPS);
const micros = new Map(names.map((name) => [name, []]));
for (let round = 0; round < ROUNDS; round++) {
  // The order rotates, so that no step always runs right after the same other one.
  for (let k = 0; k < names.length; k++) {
    const name = names[(round + k) % names.length];
    const step = STEPS[name];
    let total = 0n;
    for (let i = 0; i < requests; i++) {
      await before();
      const exchanged = exchange(jar.header);
      const start = process.hrtime.bigint();
      step(exchanged);
      total += process.hrtime.bigint() - start;
      // Ours is sent its latest cookie, as a browser would be; the bound seals a fixed session.
      if (name === 'ours') keepCookies(exchanged.res);
    }
    const us = Number(total) / 1000 / requests;
    if (round > 0) micros.get(name).push(us);
  }
}

const bound = micros.get('bound');
console.log(
  `# The module's steps of an Express /count ${afterApp ? "each after a bare app's request" : 'in a loop of their own'} ` +
    `(Node ${process.version}; ${ROUNDS - 1} rounds of ${num(requests)} requests)\n`,
);
console.log(
  table(
    ['steps', 'µs / req (median)', 'over the bound, µs (median of rounds)'],
    names.map((name) => {
      const own = micros.get(name);
      return [name, num(median(own)), num(median(own.map((us, i) => us - bound[i])))];
    }),
  ),
);
