// Reads a V8 .cpuprofile and says where the time went: per area (this library, Nest, the
// platform, node internals, GC, …), the top self-time functions, and the time spent inside the
// library's own functions including what they call (crypto, JSON, cookie). Times are µs of
// samples (idle excluded) divided by the requests served while profiling.
import { readFileSync } from 'node:fs';

export const LIB = 'nest-cookie-session (dist/)';
const EXPRESS =
  /^(express|router|body-parser|finalhandler|send|serve-static|qs|type-is|accepts|raw-body|iconv-lite|parseurl|path-to-regexp|content-type|mime|mime-types|on-finished|vary|etag|fresh|proxy-addr|depd|debug|media-typer|negotiator|statuses|encodeurl|escape-html|range-parser|merge-descriptors|http-errors|cookie-signature|content-disposition|safe-buffer|utils-merge)$/;
const FASTIFY =
  /^(fastify|@fastify\/|avvio|find-my-way|light-my-request|fast-|pino|abstract-logging|toad-cache|process-warning|rfdc|secure-json-parse)/;

/** Which area a stack frame belongs to, from its script URL. */
export function areaOf({ url, functionName }) {
  if (!url) {
    if (functionName === '(garbage collector)') return 'GC';
    if (functionName === '(idle)') return 'idle';
    if (functionName === '(program)') return 'V8 (program)';
    // Builtins and C++ bindings: JSON, writev, cipher init, microtask runs, …
    return 'native / builtins';
  }
  if (url.includes('/node_modules/')) {
    const pkg = url.split('/node_modules/').pop().split('/');
    const name = pkg[0].startsWith('@') ? `${pkg[0]}/${pkg[1]}` : pkg[0];
    if (name.startsWith('@nestjs/platform')) return 'Nest platform adapter';
    if (name.startsWith('@nestjs/')) return 'Nest core/common';
    if (name === 'rxjs') return 'rxjs';
    if (name === 'cookie' || name === 'on-headers') return `library dep: ${name}`;
    if (FASTIFY.test(name)) return 'fastify';
    if (EXPRESS.test(name)) return 'express';
    return 'other packages';
  }
  if (url.includes('/dist/')) return LIB;
  if (/^node:(internal\/)?async_hooks|async_local_storage|async_context_frame/.test(url))
    return 'node async_hooks (AsyncLocalStorage)';
  if (url.startsWith('node:')) return 'node core (http, streams, crypto JS)';
  return 'other';
}

/** A function as the summaries name it: name, file under dist/ or node_modules/, line. */
export const label = ({ functionName, url, lineNumber }) =>
  `${functionName || '(anonymous)'} ${url.replace(/^.*\/(dist|node_modules)\//, '$1/')}:${lineNumber + 1}`;

/**
 * The entries of `map` divided by `requests`, largest first, as `[key, value, area]` (`get`
 * reads the amount of an entry that holds more than one).
 */
export function perRequestOf(map, requests, get = (v) => v) {
  return [...map].map(([k, v]) => [k, get(v) / requests, v.area]).sort((a, b) => b[1] - a[1]);
}

/** µs per request: per area, per function (self), per library function (inclusive). */
export function summarise(path, requests) {
  const profile = JSON.parse(readFileSync(path, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map(); // node id -> µs
  profile.samples.forEach((id, i) =>
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)),
  );

  const areas = new Map();
  const outside = new Map(); // area -> µs of samples with no library function on the stack
  const fns = new Map(); // label -> { us, area }
  const libInclusive = new Map(); // library function -> µs with it on the stack
  let busy = 0;
  let inLib = 0;
  for (const [id, us] of self) {
    const frame = byId.get(id).callFrame;
    const area = areaOf(frame);
    if (area === 'idle') continue;
    busy += us;
    areas.set(area, (areas.get(area) ?? 0) + us);
    const f = fns.get(label(frame)) ?? { us: 0, area };
    f.us += us;
    fns.set(label(frame), f);
    // Every library function on this sample's stack, each counted once.
    const seen = new Set();
    for (let p = id; p !== undefined; p = parent.get(p)) {
      const up = byId.get(p).callFrame;
      if (areaOf(up) === LIB) seen.add(label(up));
    }
    for (const name of seen) libInclusive.set(name, (libInclusive.get(name) ?? 0) + us);
    if (seen.size) inLib += us;
    else outside.set(area, (outside.get(area) ?? 0) + us);
  }
  const perRequest = (map, get) => perRequestOf(map, requests, get);
  return {
    busyPerRequest: busy / requests,
    inLibPerRequest: inLib / requests,
    areas: new Map(perRequest(areas).map(([k, v]) => [k, v])),
    outside: new Map(perRequest(outside).map(([k, v]) => [k, v])),
    functions: perRequest(fns, (f) => f.us),
    libInclusive: perRequest(libInclusive),
  };
}
