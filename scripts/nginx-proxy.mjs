// nginx (Debian's package) terminating TLS in front of several web app instances, round-robin and
// without sticky sessions, for the tour's two-instance mode (`npm start -- --instances 2`).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function nginxPath() {
  if (existsSync('/usr/sbin/nginx')) return '/usr/sbin/nginx';
  if (spawnSync('sh', ['-c', 'command -v nginx']).status === 0) return 'nginx';
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

/** Starts nginx on https://localhost:`port` in front of `upstreams` (ports on 127.0.0.1). */
export function startNginx({ port, upstreams, certificatePem, privateKeyPem }) {
  const nginx = nginxPath();
  const dir = mkdtempSync(join(tmpdir(), 'iw-tour-nginx-'));
  mkdirSync(join(dir, 'temp'));
  writeFileSync(join(dir, 'cert.pem'), certificatePem);
  writeFileSync(join(dir, 'key.pem'), privateKeyPem, { mode: 0o600 });
  writeFileSync(
    join(dir, 'nginx.conf'),
    `${process.getuid?.() === 0 ? 'user root;' : ''}
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
    }
  }
}
`,
  );
  const child = spawn(nginx, ['-p', dir, '-c', join(dir, 'nginx.conf')], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  child.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return child;
}
