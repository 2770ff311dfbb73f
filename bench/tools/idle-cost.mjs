// `node bench/tools/idle-cost.mjs [idleSeconds] [server,…]` (after `npm run build`): what a
// server's first second back costs after it waited, as every server of the HTTP bench waits
// for the other runs of its round. While a server waits, another server is kept under load (as
// in the bench, the cores never rest). Per server: CPU µs per request of a 1.2 s run right
// after the wait, of one right after that, and of one after the same wait and 0.5 s of
// uncounted load (what `npm run bench` does before every measured run). Waits are bounded by
// the argument (default 45 s), so a run of three servers takes about 2.5 minutes.
import { load, startServer } from '../http-load.mjs';
import { num, table } from '../format.mjs';

const idleSeconds = Number(process.argv[2] ?? 45);
const names = (
  process.argv[3] ?? 'fastify-none,fastify-ours,fastify-interceptor-bare+als-run'
).split(',');
const client = { path: '/plain', first: '/login' };

const servers = new Map();
for (const name of names) servers.set(name, await startServer(name));
// Keeps the machine as busy while the measured servers wait as the bench keeps it.
const filler = await startServer('fastify-none');
const sleep = (seconds) => load({ port: filler.port, ...client, seconds });
try {
  const cpuPerRequest = async (server) => {
    await server.call('cpu-start');
    const { requests } = await load({ port: server.port, ...client, seconds: 1.2 });
    return (await server.call('cpu-stop')) / requests;
  };
  for (const server of servers.values()) await load({ port: server.port, ...client, seconds: 2 });
  const rows = new Map(names.map((name) => [name, []]));
  await sleep(idleSeconds);
  for (const [name, server] of servers) {
    rows.get(name).push(await cpuPerRequest(server), await cpuPerRequest(server));
  }
  await sleep(idleSeconds);
  for (const [name, server] of servers) {
    await load({ port: server.port, ...client, seconds: 0.5 });
    rows.get(name).push(await cpuPerRequest(server));
  }
  console.log(
    `# CPU µs per request on /plain after ${idleSeconds} s idle (Node ${process.version})\n`,
  );
  console.log(
    table(
      ['server', 'first 1.2 s back', 'the next 1.2 s', 'after 0.5 s of uncounted load'],
      [...rows].map(([name, [cold, warm, primed]]) => [name, num(cold), num(warm), num(primed)]),
    ),
  );
} finally {
  for (const server of servers.values()) await server.stop();
  await filler.stop();
}
