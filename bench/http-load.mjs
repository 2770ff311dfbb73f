// The parent's side of the HTTP bench: forks one server per configuration, fetches the session
// cookie a first request sets, and drives load with autocannon from this (separate) process.
import { fork } from 'node:child_process';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const SERVER = fileURLToPath(new URL('./http-server.mjs', import.meta.url));

/** Forks the server of configuration `name`; resolves once it listens. */
export function startServer(name, { execArgv = [], startTimeoutMs = 30_000 } = {}) {
  const child = fork(SERVER, [name], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const pending = new Map();
  let nextId = 0;
  child.on('message', (msg) => {
    const waiter = pending.get(msg.id);
    if (waiter) {
      pending.delete(msg.id);
      waiter(msg.result);
    }
  });
  const call = (cmd, args) =>
    new Promise((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      child.send({ id, cmd, args });
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`server ${name} did not start in ${startTimeoutMs} ms`));
    }, startTimeoutMs);
    child.once('exit', (code) => reject(new Error(`server ${name} exited early (${code})`)));
    child.on('message', (msg) => {
      if (!msg.ready) return;
      clearTimeout(timer);
      const exited = new Promise((done) => child.once('exit', done));
      resolve({
        name,
        port: msg.port,
        call,
        // Ask politely, then insist.
        async stop() {
          if (child.exitCode !== null) return;
          call('exit');
          const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
          await exited;
          clearTimeout(killer);
        },
      });
    });
  });
}

/**
 * GET `path` once without cookies and returns a `Cookie` header made of the `Set-Cookie`
 * lines of the answer (the session cookie, and cookie-session's `.sig`), or '' if none.
 */
export function firstCookie(port, path = '/count') {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path }, (res) => {
      res.resume();
      res.on('end', () => {
        if (res.statusCode !== 200) return reject(new Error(`GET ${path}: ${res.statusCode}`));
        const lines = res.headers['set-cookie'] ?? [];
        resolve(lines.map((line) => line.split(';', 1)[0]).join('; '));
      });
    });
    req.setTimeout(10_000, () => req.destroy(new Error(`GET ${path} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

/**
 * Loads `path` with 10 connections for `seconds`, or for `amount` requests (then stopped
 * after `maxSeconds` at the latest), replaying `cookie` on every request.
 */
export async function load({ port, path, cookie, seconds, amount, maxSeconds = 120 }) {
  const options = {
    url: `http://127.0.0.1:${port}${path}`,
    connections: 10,
    headers: cookie ? { cookie } : {},
    ...(amount ? { amount } : { duration: seconds }),
  };
  const started = performance.now();
  const instance = autocannon(options);
  const guard = setTimeout(() => instance.stop(), maxSeconds * 1000);
  const result = await instance;
  clearTimeout(guard);
  const elapsed = (performance.now() - started) / 1000;
  const ok = result['2xx'];
  if (result.non2xx || result.errors || result.timeouts) {
    throw new Error(
      `${path} on port ${port}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`,
    );
  }
  return { requests: ok, seconds: elapsed, rps: ok / elapsed };
}
