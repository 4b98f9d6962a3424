// The tour: the emulator, the sample todo API and the sample web app, wired together.
// Run through `npm start`, which builds everything and starts this under the emulator's CA
// (`entra-emulator exec`) so the apps trust the emulator's HTTPS certificate.
// `npm start -- --instances 2` (or TOUR_INSTANCES=2) runs two web app instances behind nginx
// (installed from Debian's packages when missing) terminating https with a certificate from the
// emulator's CA, round-robin, sessions and tokens in Redis (REDIS_URL, default 127.0.0.1:6379).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import emulatorPackage from 'entra-emulator';

import { startNginx } from './nginx-proxy.mjs';

const { startEmulator, ensureKeyMaterial, DEFAULT_APPS, DEFAULT_USERS, DEFAULT_PASSWORD } = emulatorPackage;
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const EMULATOR_PORT = Number(process.env.EMULATOR_PORT ?? 8443);
const TODO_API_PORT = 5001;
const WEB_APP_PORT = Number(process.env.PORT ?? 5000);
const EXPRESS_APP_PORT = Number(process.env.EXPRESS_PORT ?? 5002);
const instancesFlag = process.argv.indexOf('--instances');
const INSTANCES = Number(
  instancesFlag > 0 ? process.argv[instancesFlag + 1] : (process.env.TOUR_INSTANCES ?? 1),
);
if (!Number.isInteger(INSTANCES) || INSTANCES < 1 || INSTANCES > 8) {
  console.error('--instances takes a number from 1 to 8.');
  process.exit(2);
}
const PROXY_PORT = Number(process.env.PROXY_PORT ?? 8444);
const PUBLIC_URL = INSTANCES > 1 ? `https://localhost:${PROXY_PORT}` : `http://localhost:${WEB_APP_PORT}`;
// Behind the proxy the public https origin must be a registered redirect URI of the sample's app.
const { webApp } = DEFAULT_APPS;
const directory =
  INSTANCES > 1
    ? {
        apps: [
          {
            ...webApp,
            redirectUris: [...(webApp.redirectUris ?? []), `${PUBLIC_URL}/signin-oidc`],
            postLogoutRedirectUris: [
              ...(webApp.postLogoutRedirectUris ?? []),
              `${PUBLIC_URL}/signout-callback-oidc`,
              `${PUBLIC_URL}/`,
            ],
          },
        ],
      }
    : undefined;

const emulator = await startEmulator({ port: EMULATOR_PORT, directory });
const children = [];
let proxy;

function start(name, script, env) {
  const child = spawn(process.execPath, [join(root, script)], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`${name} stopped (${signal ?? code}); ending the tour.`);
      stop(1);
    }
  });
  children.push(child);
}

let stopping = false;
async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  await proxy?.stop(); // nginx removes its temporary folder once it has exited
  await emulator.close().catch((err) => console.error('emulator did not close cleanly:', err));
  process.exit(code);
}
process.on('SIGINT', () => stop());
process.on('SIGTERM', () => stop());

start('todo-api', 'apps/todo-api/dist/main.js', {
  TODO_API_AUTHORITY: emulator.authority,
  PORT: String(TODO_API_PORT),
});
const webAppEnv = {
  AzureAd__Instance: `${emulator.baseUrl}/`,
  DownstreamApis__GraphAPI__BaseUrl: `${emulator.baseUrl}/v1.0`,
  DownstreamApis__TodoList__BaseUrl: `http://localhost:${TODO_API_PORT}`,
};
if (INSTANCES === 1) {
  start('webapp', 'apps/webapp/dist/main.js', { ...webAppEnv, PORT: String(WEB_APP_PORT) });
} else {
  // What every instance shares: the public redirect URI, the trusted proxy, the session secret,
  // Redis for sessions and tokens, and the key ring encrypting both.
  const shared = {
    ...webAppEnv,
    AzureAd__RedirectUri: `${PUBLIC_URL}/signin-oidc`,
    IdentityWeb__ForwardedHeaders: 'loopback',
    IdentityWeb__Session__Secret: randomBytes(32).toString('base64url'),
    IdentityWeb__TokenCache__Redis__ConnectionString: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    IdentityWeb__TokenCache__KeyPrefix: 'iw-tour',
    IdentityWeb__TokenCache__EncryptionKeys__0__Id: 'tour',
    IdentityWeb__TokenCache__EncryptionKeys__0__Key: randomBytes(32).toString('base64'),
  };
  const ports = Array.from({ length: INSTANCES }, (_, i) => (i === 0 ? WEB_APP_PORT : TODO_API_PORT + 1 + i));
  ports.forEach((port, i) => {
    const id = String.fromCharCode(65 + i);
    start(`webapp ${id}`, 'apps/webapp/dist/main.js', { ...shared, PORT: String(port), INSTANCE_ID: id });
  });
  const material = await ensureKeyMaterial();
  proxy = startNginx({
    port: PROXY_PORT,
    upstreams: ports,
    certificatePem: material.serverCertificatePem,
    privateKeyPem: material.serverPrivateKeyPem,
    install: true,
  });
  proxy.child.on('exit', (code) => {
    if (!stopping) {
      console.error(`nginx stopped (${code}); ending the tour.`);
      stop(1);
    }
  });
  children.push(proxy.child);
  await proxy.ready;
}

start('express-webapp', 'apps/express-webapp/dist/main.js', {
  AzureAd__Instance: `${emulator.baseUrl}/`,
  DownstreamApis__GraphAPI__BaseUrl: `${emulator.baseUrl}/v1.0`,
  PORT: String(EXPRESS_APP_PORT),
});

console.log(`
Identity Web for NestJS — tour
  web app      ${PUBLIC_URL}${INSTANCES > 1 ? ` (nginx, ${INSTANCES} instances round-robin, Redis; X-Instance-Id names the one that answered)` : ''}
  Express app  http://localhost:${EXPRESS_APP_PORT} (the profile and mail pages, plain Express, no Nest)
  todo API     http://localhost:${TODO_API_PORT}
  Entra ID     ${emulator.authority} (local emulator)
Sign in as ${DEFAULT_USERS.alice.username} or ${DEFAULT_USERS.bob.username} (MFA code 123456), password ${DEFAULT_PASSWORD}.
The first sign-in asks consent once (sign-in and your profile). Todos and Mail ask for what they need
the first time; Write keeps what you typed while Mail.Send is granted, then sends it once. Ctrl+C stops.
`);
