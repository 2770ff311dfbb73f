// What the seals an app remembers hold in memory once the cache is full: heap after gc with the
// cache filled by a stream of new seals, minus the heap before, for small and for large
// sessions (in the bench process, which runs with --expose-gc).
import { RecentSeals } from '../dist/session/recent-seals.js';
import { SessionSealer } from '../dist/session/session-sealer.js';
import { mb, table } from './format.mjs';

const SECRET = '8WerhPbRwGhhOv2G8bHWx9K7zNgaCbLptxn19Y_PT4xA8Qmb';
const SIZES = [
  ['~60 B', (i) => ({ user: { id: 10_000 + i, name: 'Ada Lovelace' }, views: i })],
  ['1 KB', (i) => ({ i, blob: 'x'.repeat(1_000) })],
  ['~3 KB', (i) => ({ i, blob: 'x'.repeat(2_900) })],
];

function heap() {
  global.gc();
  global.gc();
  return process.memoryUsage().heapUsed;
}

export function runSealCacheMemory() {
  const rows = SIZES.map(([label, data]) => {
    const recent = new RecentSeals();
    const sealer = new SessionSealer([SECRET], { name: '__Host-session', maxChunks: 3 }, recent);
    const before = heap();
    const now = Date.now();
    const times = {
      createdAt: now,
      issuedAt: now,
      expiresAt: now + 3_600_000,
      validatedAt: now,
      lifetime: 0,
    };
    // Twice the entry bound: the cache is full and has evicted as many as it holds.
    for (let i = 0; i < 4_000; i++) sealer.seal(JSON.stringify(data(i)), times);
    const held = heap() - before;
    return [
      label,
      recent.size.toLocaleString('en-US'),
      mb(held),
      `${Math.round(held / recent.size)} B`,
    ];
  });
  return table(['session JSON', 'seals held', 'heap held', 'per seal'], rows);
}
