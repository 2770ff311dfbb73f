// The parent's side of the HTTP benches: forks a server per configuration (on any Node binary)
// and drives load with autocannon from this process, each connection behaving like a browser.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { CookieJar, setCookieOf } from './cookie-jar.mjs';

const SERVER = fileURLToPath(new URL('./http-server.mjs', import.meta.url));
export const CONNECTIONS = 10;

/**
 * Forks the server of configuration `name` on `execPath`; resolves once it listens, rejects
 * with the app's own error message when it does not start.
 */
export function startServer(name, { execPath = process.execPath, execArgv = [] } = {}) {
  const startTimeoutMs = 60_000;
  const child = fork(SERVER, [name], {
    execPath,
    execArgv,
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr = (stderr + chunk).slice(-4000)));
  const pending = new Map();
  let nextId = 0;
  const call = (cmd, args) =>
    new Promise((resolve, reject) => {
      if (!child.connected) return reject(new Error(`server ${name} is gone`));
      const id = nextId++;
      pending.set(id, { resolve, reject });
      child.send({ id, cmd, args });
    });
  const exited = new Promise((done) => child.once('exit', done));
  // A server that dies answers no more calls: fail them rather than wait forever.
  exited.then(() => {
    for (const { reject } of pending.values()) reject(new Error(`server ${name} exited`));
    pending.clear();
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    call('exit').catch(() => {});
    // Ask politely, then insist.
    const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(killer);
  };
  return new Promise((resolve, reject) => {
    const fail = (message) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(message));
    };
    const timer = setTimeout(
      () => fail(`did not start in ${startTimeoutMs / 1000} s`),
      startTimeoutMs,
    );
    child.once('exit', (code) => {
      const lines = stderr.trim().split('\n');
      const last = lines.findLast((l) => /error/i.test(l)) ?? lines.at(-1);
      fail(`exited early (${code})${last ? `: ${last}` : ''}`);
    });
    child.on('message', (msg) => {
      if (msg.error) return fail(msg.error);
      if (msg.ready) {
        clearTimeout(timer);
        return resolve({ name, port: msg.port, call, stop });
      }
      const waiter = pending.get(msg.id);
      pending.delete(msg.id);
      waiter?.resolve(msg.result);
    });
  });
}

/**
 * autocannon options for browser-like connections: each keeps its own cookie jar, updated from
 * every response. A connection first GETs `first` (e.g. /login) unless it is `path` itself,
 * then `path` on every request. `extra(jar)` (optional) returns more Cookie header text for
 * a connection, computed once after its first response (the hostile headers).
 */
function browserClients({ path, first = path, extra }) {
  const request = { method: 'GET', path: first };
  return {
    requests: [request],
    // autocannon clones `requests` per connection but resets their `context` before every
    // request when there is only one; the jar therefore lives in a per-connection closure.
    setupClient(client) {
      const jar = new CookieJar();
      let extraText;
      const own = client.requestIterator.requests[0];
      own.setupRequest = (req) => {
        const cookie = extraText ? `${extraText}; ${jar.header}` : jar.header;
        return { ...req, path, headers: cookie ? { ...req.headers, cookie } : req.headers };
      };
      own.onResponse = (_status, _body, _context, headers) => {
        jar.update(setCookieOf(headers));
        if (extra && extraText === undefined) extraText = extra(jar);
      };
    },
  };
}

/**
 * Loads `path` with CONNECTIONS browser-like connections for `seconds`, or for `amount`
 * requests (then stopped after `maxSeconds` at the latest). Throws on any non-2xx or error.
 */
export async function load({ port, seconds, amount, maxSeconds = 60, ...clients }) {
  const instance = autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: CONNECTIONS,
    // autocannon looks at its clock once per sample: 100 ms samples end a run on time.
    sampleInt: 100,
    ...(amount ? { amount } : { duration: seconds }),
    ...browserClients(clients),
  });
  const started = performance.now();
  const guard = setTimeout(() => instance.stop(), (amount ? maxSeconds : seconds + 10) * 1000);
  const result = await instance;
  clearTimeout(guard);
  const elapsed = (performance.now() - started) / 1000;
  if (result.non2xx || result.errors || result.timeouts) {
    throw new Error(
      `${clients.path}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`,
    );
  }
  const ok = result['2xx'];
  return { requests: ok, seconds: elapsed, rps: ok / elapsed };
}
