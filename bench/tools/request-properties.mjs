// `node bench/tools/request-properties.mjs [requests]` (after `npm run build`): what it costs to
// keep per-request state on an Express request, as the module does (two symbol-keyed
// properties) and as a WeakMap would (one entry), timed inside a middleware of a bare Nest app
// over real HTTP and with injected requests as the in-process tables serve them. Express gives
// every request its app's prototype with `Object.setPrototypeOf`; what a property added after
// that costs depends on the Node version and on the request object the server made.
import inject from 'light-my-request';
import { createApp } from '../http-app.mjs';
import { median, num, table } from '../format.mjs';

const requests = Number(process.argv[2] ?? 3_000);
const FIRST = Symbol('first');
const SECOND = Symbol('second');
const states = new WeakMap();

const app = await createApp('express-none');
const timings = { properties: [], weakMap: [] };
app.use((req, _res, next) => {
  const start = process.hrtime.bigint();
  req[FIRST] = 1;
  req[SECOND] = 2;
  const between = process.hrtime.bigint();
  states.set(req, { first: 1 });
  const end = process.hrtime.bigint();
  timings.properties.push(Number(between - start));
  timings.weakMap.push(Number(end - between));
  next();
});
await app.listen(0, '127.0.0.1');
const { port } = app.getHttpServer().address();
const express = app.getHttpAdapter().getInstance();

const rows = [];
const measure = async (label, send) => {
  timings.properties.length = timings.weakMap.length = 0;
  for (let i = 0; i < requests; i++) await send();
  // The first tenth warms up.
  const kept = (values) => values.slice(Math.floor(values.length / 10));
  rows.push([label, num(median(kept(timings.properties))), num(median(kept(timings.weakMap)))]);
};
try {
  await measure('over HTTP', async () => {
    await (await fetch(`http://127.0.0.1:${port}/plain`)).arrayBuffer();
  });
  await measure('injected (light-my-request)', () =>
    inject(express, { method: 'GET', url: '/plain' }),
  );
} finally {
  await app.close();
}
console.log(
  `# Per-request state on an Express request (Node ${process.version}; ${num(requests)} requests each, medians in ns)\n`,
);
console.log(table(['requests', 'two symbol properties', 'one WeakMap entry'], rows));
