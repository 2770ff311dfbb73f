// The loop the profiling tools share: one server per configuration, load on one route, and a
// profiler of the server's own (see ../http-server.mjs) running only after warm-up, so that
// start-up is not in the profile.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { load, startServer } from '../http-load.mjs';

/**
 * `[seconds] [server:/route,…]` from the command line, or the tool's defaults.
 * @returns `{ seconds, profiles }`, each profile a `[server, route]` pair.
 */
export function profileArguments(argv, defaultSeconds, defaultProfiles) {
  return {
    seconds: Number(argv[2] ?? defaultSeconds),
    profiles: argv[3] ? argv[3].split(',').map((pair) => pair.split(':')) : defaultProfiles,
  };
}

/**
 * Profiles each `[server, route]` for `seconds` of load after 2 s of warm-up, with the server's
 * `<kind>-start` and `<kind>-stop` commands; the file lands in output/profiles/ (git-ignored).
 * @returns each profile's `summarise(file, requests)`, with its title and req/s.
 */
export async function profileServers(profiles, seconds, { kind, extension, summarise }) {
  const dir = fileURLToPath(new URL('../../output/profiles/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  const summaries = [];
  for (const [name, path] of profiles) {
    const file = `${dir}${name}${path.replace('/', '-')}.${extension}`;
    const server = await startServer(name);
    try {
      const client = { port: server.port, path, first: '/login' };
      await load({ ...client, seconds: 2 });
      await server.call(`${kind}-start`);
      const { requests, rps } = await load({ ...client, seconds });
      await server.call(`${kind}-stop`, { file });
      summaries.push({ title: `${name} ${path}`, rps, ...summarise(file, requests) });
    } finally {
      await server.stop();
    }
    process.stderr.write(`profiled ${name} ${path} -> ${file}\n`);
  }
  return summaries;
}
