// Codec micro-benchmark: seal and open ops/s of this library and of what users would otherwise
// pick, for sessions of ~60 B, 1 KB and 3 KB of JSON, interleaved over rounds in one process.
import { randomBytes } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import Fastify from 'fastify';
import fastifySecureSession from '@fastify/secure-session';
import { sealData, unsealData } from 'iron-session';
import Keygrip from 'keygrip';
import { SessionCodec } from '../dist/index.js';
import { floor } from './floor.mjs';
import { median, num, table } from './format.mjs';

const SECRET = '8WerhPbRwGhhOv2G8bHWx9K7zNgaCbLptxn19Y_PT4xA8Qmb';
const SIZES = [
  { label: '~60 B', bytes: 60 },
  { label: '1 KB', bytes: 1024 },
  { label: '3 KB', bytes: 3072 },
];

/** A plain session object whose JSON is about `bytes` long: a user, a CSRF token, a cart. */
export function payload(bytes) {
  const data = { userId: 12345, role: 'member', csrf: 'k3Jd9sLq0aZx' };
  const cart = [];
  for (let i = 0; JSON.stringify(data).length + 60 < bytes; i++) {
    cart.push({ sku: `SKU-${100000 + i}`, qty: (i % 3) + 1, price: 1999 + i });
    data.cart = cart;
  }
  // Pad the token to land on the target size exactly.
  data.csrf += 'x'.repeat(Math.max(0, bytes - JSON.stringify(data).length));
  return data;
}

/** cookie-session's way (through the `cookies` package): base64 JSON plus a keygrip HMAC-SHA1 of `name=value`. */
function keygripWay() {
  const keys = new Keygrip([SECRET]);
  return {
    seal(data) {
      const value = Buffer.from(JSON.stringify(data)).toString('base64');
      return { value, sig: keys.sign(`session=${value}`) };
    },
    open({ value, sig }) {
      if (keys.index(`session=${value}`, sig) < 0) return undefined;
      return JSON.parse(Buffer.from(value, 'base64').toString('utf8'));
    },
  };
}

/** @fastify/secure-session's own encode/decode (libsodium secretbox), from a bare Fastify. */
async function fastifySecure() {
  const app = Fastify();
  await app.register(fastifySecureSession, { key: randomBytes(32) });
  await app.ready();
  return {
    seal: (data) => app.encodeSecureSession(app.createSecureSession(data)),
    open: (value) => app.decodeSecureSession(value),
    // Its session is a Proxy over the data plus its own `__ts` field.
    data: (opened) => opened?.data(),
    close: () => app.close(),
  };
}

function ironSession() {
  const password = SECRET;
  return {
    async: true,
    seal: (data) => sealData(data, { password }),
    open: (value) => unsealData(value, { password }),
  };
}

function ours() {
  // maxChunks 2: a 3 KB session seals to more than the 4096 characters one cookie holds.
  const codec = new SessionCodec({ secret: SECRET, maxChunks: 2 });
  return { seal: (data) => codec.seal(data), open: (value) => codec.open(value) };
}

const RING = 256;
const SLICES = 8;
const FLOOR = 'floor (node:crypto AES-256-GCM)';
const FASTIFY = '@fastify/secure-session';
let sink;

/**
 * Runs `fn` over `inputs` until `budgetMs` has passed; returns the ops done, the time taken and
 * the outputs (a ring of the last RING results, so the open phase opens values just sealed).
 */
async function measure(fn, inputs, isAsync, budgetMs) {
  const outputs = new Array(RING);
  const batch = isAsync ? 4 : 32;
  let ops = 0;
  const start = performance.now();
  const end = start + budgetMs;
  let now = start;
  while (now < end) {
    for (let i = 0; i < batch; i++, ops++) {
      const out = fn(inputs[ops % inputs.length]);
      outputs[ops % RING] = isAsync ? await out : out;
    }
    now = performance.now();
  }
  sink = outputs[0];
  return { ops, ms: now - start, outputs: outputs.filter((o) => o !== undefined) };
}

export async function runCodec({ rounds, budgetMs, log }) {
  const contenders = [
    ['nest-cookie-session', ours()],
    [FLOOR, floor()],
    [FASTIFY, await fastifySecure()],
    ['iron-session', ironSession()],
    ['cookie-session way (keygrip HMAC-SHA1)', keygripWay()],
  ];
  const samples = new Map(); // `${size}|${name}` -> { seal: [], open: [], rt: [] }
  for (const size of SIZES) {
    for (const [name, c] of contenders) {
      // Each contender gets its own copy: @fastify/secure-session writes `__ts` into the data.
      c.input = c.input ?? {};
      c.input[size.label] = payload(size.bytes);
      const sealed = c.async ? await c.seal(c.input[size.label]) : c.seal(c.input[size.label]);
      const opened = c.async ? await c.open(sealed) : c.open(sealed);
      const back = c.data ? c.data(opened) : opened;
      if (
        !isDeepStrictEqual(
          { ...back, __ts: undefined },
          { ...payload(size.bytes), __ts: undefined },
        )
      )
        throw new Error(`${name} did not round-trip the ${size.label} session`);
      samples.set(`${size.label}|${name}`, {
        seal: [],
        open: [],
        rt: [],
        vsFloor: [],
        vsFastify: [],
      });
    }
  }
  // Round 0 warms the JIT up and is not counted. Within a round the contenders take turns in
  // short slices, so that whatever else the machine does in that second falls on all of them
  // alike; ratios are taken per round, then their median reported.
  const sliceMs = budgetMs / SLICES;
  for (let round = 0; round <= rounds; round++) {
    for (const size of SIZES) {
      globalThis.gc?.(); // with --expose-gc, as `npm run bench` runs
      const tally = new Map(contenders.map(([name]) => [name, { seal: [0, 0], open: [0, 0] }]));
      for (let slice = 0; slice < SLICES; slice++) {
        // Rotate the order so no contender always runs first or last.
        for (let k = 0; k < contenders.length; k++) {
          const [name, c] = contenders[(k + slice + round) % contenders.length];
          const t = tally.get(name);
          const budget = c.async ? sliceMs * 2 : sliceMs;
          const seal = await measure(c.seal, [c.input[size.label]], c.async, budget);
          const open = await measure(c.open, seal.outputs, c.async, budget);
          t.seal[0] += seal.ops;
          t.seal[1] += seal.ms;
          t.open[0] += open.ops;
          t.open[1] += open.ms;
        }
      }
      if (round === 0) continue;
      const rate = ([ops, ms]) => (ops * 1000) / ms;
      const rtOf = (name) => {
        const t = tally.get(name);
        // A round trip costs one seal plus one open.
        return 1 / (1 / rate(t.seal) + 1 / rate(t.open));
      };
      for (const [name] of contenders) {
        const s = samples.get(`${size.label}|${name}`);
        s.seal.push(rate(tally.get(name).seal));
        s.open.push(rate(tally.get(name).open));
        s.rt.push(rtOf(name));
        s.vsFloor.push(rtOf(name) / rtOf(FLOOR));
        s.vsFastify.push(rtOf(name) / rtOf(FASTIFY));
      }
    }
    if (round > 0) log(`codec round ${round}/${rounds} done`);
  }
  for (const [, c] of contenders) await c.close?.();

  const rows = [];
  const results = [];
  for (const size of SIZES) {
    const med = (name, k) => median(samples.get(`${size.label}|${name}`)[k]);
    for (const [name] of contenders) {
      const rt = med(name, 'rt');
      const vsFloor = med(name, 'vsFloor');
      const vsFastify = med(name, 'vsFastify');
      results.push({ size: size.label, name, rt, vsFloor, vsFastify });
      rows.push([
        size.label,
        name,
        num(med(name, 'seal')),
        num(med(name, 'open')),
        num(rt),
        num(1e6 / rt, 2),
        `${vsFloor.toFixed(2)}×`,
        `${vsFastify.toFixed(2)}×`,
      ]);
    }
  }
  const headers = [
    'JSON size',
    'codec',
    'seal ops/s',
    'open ops/s',
    'round trip ops/s',
    'µs / round trip',
    '× floor',
    '× @fastify/secure-session',
  ];
  return { markdown: table(headers, rows, 2), results, sizes: SIZES.map((s) => s.label) };
}
