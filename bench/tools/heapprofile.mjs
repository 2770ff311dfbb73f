// Reads a V8 sampling heap profile (.heapprofile) and says what was allocated, in bytes per
// request: per area (this library, Nest, rxjs, the platform, node internals), per function
// (self) and per library function including what it calls. The sampler records about one
// allocation per KB and V8 scales each sample to the bytes it stands for, so small figures are
// estimates: compare configurations measured alike.
import { readFileSync } from 'node:fs';
import { LIB, areaOf, label, perRequestOf } from './cpuprofile.mjs';

/** Bytes per request: in all, per area, per function (self), per library function (inclusive). */
export function summariseAllocations(path, requests) {
  const { head } = JSON.parse(readFileSync(path, 'utf8'));
  const areas = new Map();
  const fns = new Map(); // label -> { bytes, area }
  const libInclusive = new Map();
  let total = 0;
  // Depth-first with an explicit stack: call trees of a busy server are deep.
  const pending = [{ node: head, libraryAbove: [] }];
  while (pending.length > 0) {
    const { node, libraryAbove } = pending.pop();
    const frame = node.callFrame;
    const area = areaOf(frame);
    const name = label(frame);
    const library =
      area === LIB && !libraryAbove.includes(name) ? [...libraryAbove, name] : libraryAbove;
    const bytes = node.selfSize;
    if (bytes > 0) {
      total += bytes;
      areas.set(area, (areas.get(area) ?? 0) + bytes);
      const f = fns.get(name) ?? { bytes: 0, area };
      f.bytes += bytes;
      fns.set(name, f);
      for (const up of library) libInclusive.set(up, (libInclusive.get(up) ?? 0) + bytes);
    }
    for (const child of node.children) pending.push({ node: child, libraryAbove: library });
  }
  const perRequest = (map, get) => perRequestOf(map, requests, get);
  return {
    bytesPerRequest: total / requests,
    areas: new Map(perRequest(areas).map(([k, v]) => [k, v])),
    functions: perRequest(fns, (f) => f.bytes),
    libInclusive: perRequest(libInclusive),
  };
}
