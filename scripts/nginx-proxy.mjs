// nginx (Debian's package) terminating TLS in front of several web app instances, round-robin and
// without sticky sessions: the tour's two-instance mode (`npm start -- --instances 2`) and the
// two-instance tests (packages/identity-web/test/proxy) both start it from here, so what the tests
// prove is the configuration the tour ships. Types: nginx-proxy.d.mts.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';

/** The nginx binary; with `install`, Debian's nginx-light is installed when missing (as the tour does). */
export function nginxPath({ install = false } = {}) {
  if (existsSync('/usr/sbin/nginx')) return '/usr/sbin/nginx';
  if (spawnSync('sh', ['-c', 'command -v nginx']).status === 0) return 'nginx';
  if (!install) throw new Error('nginx is not installed: apt-get install -y nginx-light');
  console.log('installing nginx (Debian package nginx-light)...');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  const installed = spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'nginx-light'], {
    stdio: 'inherit',
    env,
  });
  if (installed.status !== 0 || !existsSync('/usr/sbin/nginx')) {
    throw new Error('nginx is needed for --instances: apt-get install -y nginx-light');
  }
  return '/usr/sbin/nginx';
}

/**
 * nginx.conf for https://localhost:`port` in front of `upstreams` (ports on 127.0.0.1): TLS with
 * `dir`/cert.pem and key.pem, round-robin without stickiness, the `X-Forwarded-Proto/Host/For` a
 * production proxy sends, a dead upstream skipped (the request goes to the next one), and room for
 * the response headers of a sign-in round trip with sessions in the cookie
 * (`IdentityWeb:Session:Mode: "cookie"`): a session cookie of up to 4,000 bytes next to a long
 * `Location` does not fit nginx's default 4 KB header buffer (a 502, "upstream sent too big header").
 */
export function nginxConfig({ dir, port, upstreams, runAsRoot = process.getuid?.() === 0 }) {
  return `${runAsRoot ? 'user root;' : ''}
worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${dir}/temp/body;
  proxy_temp_path ${dir}/temp/proxy;
  fastcgi_temp_path ${dir}/temp/fastcgi;
  uwsgi_temp_path ${dir}/temp/uwsgi;
  scgi_temp_path ${dir}/temp/scgi;
  upstream webapp {
${upstreams.map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=2s;`).join('\n')}
  }
  server {
    listen 127.0.0.1:${port} ssl;
    server_name localhost;
    ssl_certificate ${dir}/cert.pem;
    ssl_certificate_key ${dir}/key.pem;
    location / {
      proxy_pass http://webapp;
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header X-Forwarded-Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_next_upstream error timeout http_502;
      proxy_connect_timeout 2s;
      proxy_buffer_size 16k;
      proxy_buffers 8 16k;
    }
  }
}
`;
}

/** Whether something accepts TCP connections on 127.0.0.1:`port`. */
function accepts(port) {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Starts nginx with {@link nginxConfig} after `nginx -t` accepted it. `ready` resolves once it
 * accepts connections (rejects if it exits first); `stop()` ends it and removes its folder.
 */
export function startNginx({
  port,
  upstreams,
  certificatePem,
  privateKeyPem,
  install = false,
  stdio = 'inherit',
}) {
  const nginx = nginxPath({ install });
  const dir = mkdtempSync(join(tmpdir(), 'iw-nginx-'));
  mkdirSync(join(dir, 'temp'));
  writeFileSync(join(dir, 'cert.pem'), certificatePem);
  writeFileSync(join(dir, 'key.pem'), privateKeyPem, { mode: 0o600 });
  const conf = join(dir, 'nginx.conf');
  writeFileSync(conf, nginxConfig({ dir, port, upstreams }));
  const check = spawnSync(nginx, ['-t', '-q', '-p', dir, '-c', conf], { encoding: 'utf8' });
  if (check.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`nginx refused its configuration: ${check.stderr}`);
  }
  const child = spawn(nginx, ['-p', dir, '-c', conf], { stdio: ['ignore', stdio, stdio] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  exited.then(() => rmSync(dir, { recursive: true, force: true }));
  const ready = (async () => {
    for (let i = 0; i < 200 && child.exitCode === null; i++) {
      if (await accepts(port)) return;
      await sleep(50);
    }
    throw new Error(`nginx did not listen on port ${port} (exit code ${child.exitCode})`);
  })();
  return {
    url: `https://localhost:${port}`,
    child,
    ready,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
