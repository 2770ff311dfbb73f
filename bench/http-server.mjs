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
    inspector = new Inspector();
    inspector.connect();
    await inspector.post('Profiler.enable');
    await inspector.post('Profiler.setSamplingInterval', { interval: 100 });
    await inspector.post('Profiler.start');
  },
  'profile-stop': async ({ file }) => {
    const { profile } = await inspector.post('Profiler.stop');
    writeFileSync(file, JSON.stringify(profile));
    inspector.disconnect();
  },
  // V8's sampling heap profiler, keeping the objects that collections have freed since: what
  // requests allocate (the garbage collector's work), not only what they leave behind.
  'allocations-start': async () => {
    inspector = new Inspector();
    inspector.connect();
    await inspector.post('HeapProfiler.startSampling', {
      samplingInterval: 1024,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
  },
  'allocations-stop': async ({ file }) => {
    const { profile } = await inspector.post('HeapProfiler.stopSampling');
    writeFileSync(file, JSON.stringify(profile));
    inspector.disconnect();
  },
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
