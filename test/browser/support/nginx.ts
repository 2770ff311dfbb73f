import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { exited } from './child-exit.js';
import { freePort } from './free-port.js';

/** Debian's nginx (`apt-get install -y nginx-light`), or NGINX_PATH. */
export const NGINX_PATH = process.env.NGINX_PATH ?? '/usr/sbin/nginx';

/** The buffer sizes the README tells nginx users to set for sessions of several cookies. */
const RAISED_BUFFERS = `
    large_client_header_buffers 4 16k;
    proxy_buffer_size 16k;
    proxy_buffers 8 16k;`;

/** nginx in front of one app, the way a TLS-terminating reverse proxy is usually set up. */
export interface NginxProxy {
  /** `https://127.0.0.1:PORT`: TLS ends at nginx; the README's buffer sizes. */
  readonly httpsUrl: string;
  /** `http://127.0.0.1:PORT`: plain HTTP; the README's buffer sizes. */
  readonly httpUrl: string;
  /** `http://127.0.0.1:PORT`: plain HTTP with nginx's default buffer sizes. */
  readonly defaultsUrl: string;
  stop(): Promise<void>;
}

const run = promisify(execFile);

/** A throwaway self-signed certificate for 127.0.0.1 (the browser context ignores its issuer). */
async function selfSignedCertificate(dir: string): Promise<{ cert: string; key: string }> {
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=127.0.0.1',
    '-addext',
    'subjectAltName=IP:127.0.0.1',
    '-keyout',
    key,
    '-out',
    cert,
  ]);
  return { cert, key };
}

function configuration(
  dir: string,
  appPort: number,
  ports: { https: number; http: number; defaults: number },
  certificate: { cert: string; key: string },
): string {
  const upstream = `location / { proxy_pass http://127.0.0.1:${appPort}; }`;
  // Workers run as root when the test does (CI), so they can use the temporary directory.
  const user = process.getuid?.() === 0 ? 'user root;' : '';
  return `
${user}
daemon off;
worker_processes 1;
pid ${join(dir, 'nginx.pid')};
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path ${join(dir, 'client_body')};
  proxy_temp_path ${join(dir, 'proxy')};
  fastcgi_temp_path ${join(dir, 'fastcgi')};
  uwsgi_temp_path ${join(dir, 'uwsgi')};
  scgi_temp_path ${join(dir, 'scgi')};
  # Host stays nginx's default (the upstream's address): the app learns the address the
  # browser used only from X-Forwarded-Host, and the scheme from X-Forwarded-Proto.
  proxy_set_header X-Forwarded-Proto $scheme;
  proxy_set_header X-Forwarded-Host $http_host;
  server {
    listen 127.0.0.1:${ports.https} ssl;
    ssl_certificate ${certificate.cert};
    ssl_certificate_key ${certificate.key};
${RAISED_BUFFERS}
    ${upstream}
  }
  server {
    listen 127.0.0.1:${ports.http};
${RAISED_BUFFERS}
    ${upstream}
  }
  server {
    listen 127.0.0.1:${ports.defaults};
    ${upstream}
  }
}
`;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Starts nginx in the foreground in front of the app on `appPort`; waits for its ports. */
export async function startNginx(appPort: number): Promise<NginxProxy> {
  if (!existsSync(NGINX_PATH)) {
    throw new Error(
      `No nginx at ${NGINX_PATH}: install it (apt-get install -y nginx-light) or set NGINX_PATH.`,
    );
  }
  const dir = await mkdtemp(join(tmpdir(), 'nest-cookie-session-nginx-'));
  const certificate = await selfSignedCertificate(dir);
  const ports = { https: await freePort(), http: await freePort(), defaults: await freePort() };
  const conf = join(dir, 'nginx.conf');
  const log = join(dir, 'error.log');
  await writeFile(conf, configuration(dir, appPort, ports, certificate));
  const child = spawn(NGINX_PATH, ['-p', dir, '-c', conf, '-e', log], { stdio: 'ignore' });
  const errorLog = () => readFile(log, 'utf8').catch(() => '');
  const stop = async () => {
    child.kill('SIGTERM');
    await exited(child);
    await rm(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 10_000;
  for (;;) {
    const up = await Promise.all(Object.values(ports).map(accepts));
    if (up.every(Boolean)) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      const why = await errorLog();
      await stop();
      throw new Error(`nginx did not start:\n${why}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    httpsUrl: `https://127.0.0.1:${ports.https}`,
    httpUrl: `http://127.0.0.1:${ports.http}`,
    defaultsUrl: `http://127.0.0.1:${ports.defaults}`,
    stop,
  };
}
