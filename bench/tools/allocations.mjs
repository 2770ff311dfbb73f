// `node bench/tools/allocations.mjs [seconds] [server:/route,…]` (after `npm run build`): what
// servers (the default list below, or the ones named) allocate per request under load on one
// route each, by area and by function: the work their requests give the garbage collector.
// V8's sampling heap profiler is started over the inspector after warm-up and keeps the objects
// collected since, so short-lived garbage counts. Profiles land in output/profiles/
// (git-ignored): open them in Chrome DevTools (Memory tab).
import { LIB } from './cpuprofile.mjs';
import { summariseAllocations } from './heapprofile.mjs';
import { profileArguments, profileServers } from './profile-servers.mjs';
import { num, table } from '../format.mjs';

const { seconds, profiles } = profileArguments(process.argv, 5, [
  ['express-none', '/count'],
  ['express-ours', '/count'],
  ['express-cookie-session', '/count'],
  ['express-contract-count', '/count'],
]);
const summaries = await profileServers(profiles, seconds, {
  kind: 'allocations',
  extension: 'heapprofile',
  summarise: summariseAllocations,
});

const bytes = (v) => num(v, 0);
const areas = [...new Set(summaries.flatMap((s) => [...s.areas.keys()]))].filter((a) =>
  summaries.some((s) => (s.areas.get(a) ?? 0) >= 50),
);
const out = [
  `# Bytes allocated per request (Node ${process.version}; ${seconds} s of load each, after 2 s of warm-up)\n`,
  table(
    ['area (allocating function)', ...summaries.map((s) => s.title)],
    [
      ['**all**', ...summaries.map((s) => `**${bytes(s.bytesPerRequest)}**`)],
      ...areas.map((a) => [a, ...summaries.map((s) => bytes(s.areas.get(a) ?? 0))]),
    ],
  ),
  '',
];
for (const s of summaries) {
  if ((s.areas.get(LIB) ?? 0) < 50) continue;
  out.push(
    `## ${s.title}\n`,
    table(
      ['library function, inclusive of what it calls', 'bytes / req'],
      s.libInclusive.slice(0, 12).map(([k, v]) => [k, bytes(v)]),
    ),
    '',
    table(
      ['top allocating functions (all code)', 'area', 'bytes / req'],
      s.functions.slice(0, 15).map(([k, v, a]) => [k, a, bytes(v)]),
      2,
    ),
    '',
  );
}
console.log(out.join('\n'));
