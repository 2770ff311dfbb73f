// One NestJS 12 server for one configuration (argv[2]), run as a forked child of the bench.
// It listens on 127.0.0.1, tells the parent its port over IPC, and answers the parent's
// requests for its CPU time, heap size and profiles.
import { writeFileSync } from 'node:fs';
import { Session as Inspector } from 'node:inspector/promises';
import { pinServer } from './cpu-pinning.mjs';
import { createApp } from './http-app.mjs';

pinServer();

// Never outlive the bench.
process.on('disconnect', () => process.exit(0));

let app;
try {
  app = await createApp(process.argv[2]);
  await app.listen(0, '127.0.0.1');
} catch (error) {
  // The parent reports the contender as not started, with this message, and runs the others.
  process.send({ error: String(error?.message ?? error).split('\n')[0] }, () => process.exit(1));
  await new Promise(() => {});
}
const { port } = app.getHttpServer().address();

let cpuStart;
let inspector;
/** Connects to this process's own inspector, for a profiler started after warm-up. */
function connectInspector() {
  inspector = new Inspector();
  inspector.connect();
  return inspector;
}
/** Stops the profiler with `method` and writes what it returns (`profile`) to `file`. */
async function saveProfile(method, file) {
  const { profile } = await inspector.post(method);
  writeFileSync(file, JSON.stringify(profile));
  inspector.disconnect();
}
const commands = {
  'cpu-start': () => {
    cpuStart = process.cpuUsage();
  },
  // Microseconds of user + system CPU since 'cpu-start'.
  'cpu-stop': () => {
    const { user, system } = process.cpuUsage(cpuStart);
    return user + system;
  },
  heap: () => {
    // Two passes: the first can leave work for finalizers that the second collects.
    global.gc();
    global.gc();
    return process.memoryUsage().heapUsed;
  },
  // The same V8 sampler as `node --cpu-prof`, but started after start-up and warm-up, so the
  // profile holds the steady state only.
  'profile-start': async () => {
    const session = connectInspector();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 100 });
    await session.post('Profiler.start');
  },
  'profile-stop': ({ file }) => saveProfile('Profiler.stop', file),
  // V8's sampling heap profiler, keeping the objects that collections have freed since: what
  // requests allocate (the garbage collector's work), not only what they leave behind.
  'allocations-start': () =>
    connectInspector().post('HeapProfiler.startSampling', {
      samplingInterval: 1024,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    }),
  'allocations-stop': ({ file }) => saveProfile('HeapProfiler.stopSampling', file),
  exit: async () => {
    await app.close();
    setImmediate(() => process.exit(0));
  },
};

process.on('message', async ({ id, cmd, args }) => {
  const result = await commands[cmd](args);
  process.send({ id, result });
});
process.send({ ready: true, port });
