// Heap after 10 000 and after 200 000 requests to /count from browser-like connections (each
// logs in, then carries what the last response set), per adapter with this module: a leak per
// request shows up as growth between the two (gc'd) readings.
import { load, startServer } from './http-load.mjs';
import { mb, table } from './format.mjs';

export async function runMemory({ first, total, maxSeconds, log }) {
  const rows = [];
  const results = [];
  for (const name of ['express-ours', 'fastify-ours']) {
    let server;
    try {
      server = await startServer(name, { execArgv: ['--expose-gc'] });
      const client = { port: server.port, path: '/count', first: '/login' };
      const a = await load({
        ...client,
        amount: first,
        maxSeconds: maxSeconds / 4,
      });
      const heapA = await server.call('heap');
      const b = await load({
        ...client,
        amount: total - first,
        maxSeconds,
      });
      const heapB = await server.call('heap');
      const done = a.requests + b.requests;
      const growth = heapB - heapA;
      results.push({ name, growth, requests: done });
      rows.push([
        name,
        a.requests,
        mb(heapA),
        done,
        mb(heapB),
        mb(growth),
        `${(growth / b.requests).toFixed(2)} B`,
      ]);
      log(`memory ${name}: ${mb(heapA)} -> ${mb(heapB)} after ${done} requests`);
    } catch (error) {
      // Reported, not fatal: the other platform and the report still come.
      rows.push([name, `n/a (${server ? 'failed' : 'did not start'}: ${error.message})`]);
    } finally {
      await server?.stop();
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
