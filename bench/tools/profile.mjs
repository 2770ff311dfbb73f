// `node bench/tools/profile.mjs [seconds] [server:/route,…]` (after `npm run build`): profiles
// servers (the default list below, or the ones named) with load on one route each and prints where the CPU time goes, in µs per request. It uses the V8 sampler
// that `node --cpu-prof` uses, started over the inspector after warm-up so that start-up is not
// in the profile. Profiles land in output/profiles/ (git-ignored): open them in Chrome DevTools.
import { LIB, summarise } from './cpuprofile.mjs';
import { profileArguments, profileServers } from './profile-servers.mjs';
import { num, table } from '../format.mjs';

const { seconds, profiles } = profileArguments(process.argv, 8, [
  ['express-none', '/count'],
  ['express-ours', '/count'],
  ['express-ours', '/plain'],
  ['express-ours-norenew', '/plain'],
  ['fastify-none', '/count'],
  ['fastify-ours', '/count'],
  ['fastify-ours', '/plain'],
  ['fastify-ours-norenew', '/plain'],
]);
const summaries = await profileServers(profiles, seconds, {
  kind: 'profile',
  extension: 'cpuprofile',
  summarise,
});

const us = (v) => num(v, 1);
const out = [
  `# CPU profiles: µs of CPU per request (${seconds} s of load each, after 2 s of warm-up)\n`,
];
// One table, areas × profiles, so that what a configuration adds over its baseline shows.
const areas = [...new Set(summaries.flatMap((s) => [...s.areas.keys()]))].filter((a) =>
  summaries.some((s) => (s.areas.get(a) ?? 0) >= 0.5),
);
out.push(
  table(
    ['area (self time)', ...summaries.map((s) => s.title)],
    [
      ['req/s while profiled', ...summaries.map((s) => num(s.rps))],
      ['**all (busy)**', ...summaries.map((s) => `**${us(s.busyPerRequest)}**`)],
      ['a library function on the stack', ...summaries.map((s) => us(s.inLibPerRequest))],
      ...areas.map((a) => [a, ...summaries.map((s) => us(s.areas.get(a) ?? 0))]),
    ],
  ),
  '',
);
// The same, counting only samples with no library function on the stack: what the module
// costs through Nest (interceptor, rxjs), AsyncLocalStorage's hooks, GC and the platform.
out.push(
  table(
    ['area, outside library frames', ...summaries.map((s) => s.title)],
    [
      ['**all**', ...summaries.map((s) => `**${us(s.busyPerRequest - s.inLibPerRequest)}**`)],
      ...areas.map((a) => [a, ...summaries.map((s) => us(s.outside.get(a) ?? 0))]),
    ],
  ),
  '',
);
for (const s of summaries) {
  if (s.inLibPerRequest < 0.5) continue;
  out.push(
    `## ${s.title}\n`,
    table(
      ['top self time (all code)', 'area', 'µs / req'],
      s.functions.slice(0, 20).map(([k, v, a]) => [k, a, us(v)]),
      2,
    ),
    '',
    table(
      ['library function, inclusive of what it calls', 'µs / req'],
      s.libInclusive.slice(0, 15).map(([k, v]) => [k, us(v)]),
    ),
    '',
    table(
      ['library function, self', 'µs / req'],
      s.functions
        .filter(([, , a]) => a === LIB)
        .slice(0, 12)
        .map(([k, v]) => [k, us(v)]),
    ),
    '',
  );
}
console.log(out.join('\n'));
