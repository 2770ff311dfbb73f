#!/usr/bin/env node
/**
 * Checks that lib/ reads top to bottom: each folder imports only the folders below it, the
 * folders below platform/ import no NestJS package, and no file is part of an import cycle.
 * Exits 1 with the offending imports listed.
 *
 *   errors.ts → crypto/ → cookie/, legacy/ → options/ → session/ → platform/ → the Nest surface (lib/*.ts)
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const LIB = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'lib');
/** Rank of each layer: a file may import files of a lower rank, or of its own folder. */
const RANK = { errors: 0, crypto: 1, cookie: 2, legacy: 2, options: 3, session: 4, platform: 5, surface: 6, typings: 7 };

function layerOf(file) {
  const relative = path.relative(LIB, file);
  const [first] = relative.split(path.sep);
  if (relative === 'errors.ts') return 'errors';
  return first === relative ? 'surface' : first;
}

function filesUnder(dir) {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    return statSync(full).isDirectory() ? filesUnder(full) : full.endsWith('.ts') ? [full] : [];
  });
}

const files = filesUnder(LIB);
const graph = new Map();
const problems = [];
for (const file of files) {
  const source = readFileSync(file, 'utf8');
  // Static imports and exports, side-effect imports and dynamic import(), either quote.
  const specifiers = /(?:from|import)\s*\(?\s*(['"])(\.{1,2}\/[^'"]+)\1/g;
  const targets = [...source.matchAll(specifiers)].map((m) =>
    path.resolve(path.dirname(file), m[2].replace(/\.js$/, '.ts')),
  );
  graph.set(file, targets);
  const from = layerOf(file);
  if (!(from in RANK)) problems.push(`${path.relative(LIB, file)}: folder "${from}" has no layer`);
  // Below the platform layer the library knows no framework: Nest is reached from above.
  if (RANK[from] < RANK.platform && /(?:from|import)\s*\(?\s*['"]@nestjs\//.test(source))
    problems.push(`${path.relative(LIB, file)} (${from}) imports NestJS, which only platform/ and above may`);
  for (const target of targets) {
    const to = layerOf(target);
    const upward = RANK[to] > RANK[from];
    const sideways = RANK[to] === RANK[from] && to !== from;
    if (upward || sideways)
      problems.push(`${path.relative(LIB, file)} (${from}) imports ${path.relative(LIB, target)} (${to})`);
  }
}

// Cycles: depth-first search over the import graph.
const state = new Map();
function visit(file, trail) {
  if (state.get(file) === 'done') return;
  if (state.get(file) === 'open') {
    const cycle = trail.slice(trail.indexOf(file)).concat(file);
    problems.push(`cycle: ${cycle.map((f) => path.relative(LIB, f)).join(' → ')}`);
    return;
  }
  state.set(file, 'open');
  for (const target of graph.get(file) ?? []) visit(target, trail.concat(file));
  state.set(file, 'done');
}
for (const file of files) visit(file, []);

if (problems.length > 0) {
  console.error(`lib/ layers: ${problems.length} problem(s)\n${problems.join('\n')}`);
  process.exit(1);
}
console.log(`lib/ layers: ${files.length} files, imports only downward, no cycle`);
