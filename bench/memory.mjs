// Heap after 10 000 and after 200 000 requests to /count, replaying one cookie, per adapter with
// this module: a leak per request shows up as growth between the two (gc'd) readings.
import { firstCookie, load, startServer } from './http-load.mjs';
import { mb, table } from './format.mjs';

export async function runMemory({ first, total, maxSeconds, log }) {
  const rows = [];
  const results = [];
  for (const name of ['express-ours', 'fastify-ours']) {
    const server = await startServer(name, { execArgv: ['--expose-gc'] });
    try {
      const cookie = await firstCookie(server.port);
      const a = await load({
        port: server.port,
        path: '/count',
        cookie,
        amount: first,
        maxSeconds: maxSeconds / 4,
      });
      const heapA = await server.call('heap');
      const b = await load({
        port: server.port,
        path: '/count',
        cookie,
        amount: total - first,
        maxSeconds,
      });
      const heapB = await server.call('heap');
      const done = a.requests + b.requests + 1;
      const growth = heapB - heapA;
      results.push({ name, growth, requests: done });
      rows.push([
        name,
        a.requests + 1,
        mb(heapA),
        done,
        mb(heapB),
        mb(growth),
        `${(growth / b.requests).toFixed(2)} B`,
      ]);
      log(`memory ${name}: ${mb(heapA)} -> ${mb(heapB)} after ${done} requests`);
    } finally {
      await server.stop();
    }
  }
  const headers = [
    'server (/count)',
    'requests',
    'heap used',
    'requests',
    'heap used',
    'growth',
    'growth per request (second leg)',
  ];
  return { markdown: table(headers, rows), results };
}
