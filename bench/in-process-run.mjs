// `node bench/in-process-run.mjs --rounds=N` (started by run.mjs on each Node it measures):
// every contender of each (platform, route) group, with "no session" and the bounds that group's
// targets meet, served in one process one request each in turn (in-process.mjs). Writes JSON to
// stdout: [{ platform, path, served: [{ kind, micros, batches }] }].
import { interleave } from './in-process.mjs';
import { ROUTES } from './contenders.mjs';
import { BOUND_OF } from './targets.mjs';

const CONTENDERS = {
  express: ['none', 'ours', 'cookie-session'],
  fastify: ['none', 'ours', 'ours-nointerceptor', 'secure-session'],
};
/** The bounds the targets of one route are judged by: each configuration's ingredients and contract. */
const boundsOf = (platform, path) =>
  (platform === 'fastify' ? ['ours', 'ours-nointerceptor'] : ['ours']).flatMap((kind) => [
    BOUND_OF[kind][path].parts,
    BOUND_OF[kind][path].contract,
  ]);
const GROUPS = ['express', 'fastify'].flatMap((platform) =>
  ROUTES.map((path) => [
    platform,
    path,
    [
      ...CONTENDERS[platform],
      ...(platform === 'express' && path === '/count' ? ['express-session'] : []),
      ...boundsOf(platform, path),
    ],
  ]),
);

const rounds = Number(process.argv.find((a) => a.startsWith('--rounds='))?.split('=')[1] ?? 8_000);
const groups = [];
for (const [platform, path, kinds] of GROUPS) {
  process.stderr.write(`[in process ${process.version}] ${platform} ${path}…\n`);
  // Where an app comes in the order of loading moves its cost by several per cent (up to 9 %
  // measured here, in either direction), so each contender is loaded twice, the second time in
  // the reverse order (A B … B A), and its two copies pooled.
  const order = [...kinds, ...[...kinds].reverse()];
  const served = await interleave(
    order.map((kind) => ({ kind, name: `${platform}-${kind}`, path })),
    { rounds },
  );
  groups.push({
    platform,
    path,
    served: kinds.map((kind, i) => {
      const [first, second] = [served[i], served[order.length - 1 - i]];
      return {
        kind,
        name: first.name,
        micros: (first.micros + second.micros) / 2,
        // Batch j of every app covers the same rounds, so pooling keeps batches paired.
        batches: [...first.batches, ...second.batches],
      };
    }),
  });
}
process.stdout.write(JSON.stringify(groups));
