// The tour: the emulator, the sample todo API and the sample web app, wired together.
// Run through `npm start`, which builds everything and starts this under the emulator's CA
// (`entra-emulator exec`) so the apps trust the emulator's HTTPS certificate.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import emulatorPackage from 'entra-emulator';

const { startEmulator, DEFAULT_USERS, DEFAULT_PASSWORD } = emulatorPackage;
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const EMULATOR_PORT = Number(process.env.EMULATOR_PORT ?? 8443);
const TODO_API_PORT = 5001;
const WEB_APP_PORT = Number(process.env.PORT ?? 5000);
const EXPRESS_APP_PORT = Number(process.env.EXPRESS_PORT ?? 5002);

const emulator = await startEmulator({ port: EMULATOR_PORT });
const children = [];

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
  await emulator.close().catch((err) => console.error('emulator did not close cleanly:', err));
  process.exit(code);
}
process.on('SIGINT', () => stop());
process.on('SIGTERM', () => stop());

start('todo-api', 'apps/todo-api/dist/main.js', {
  TODO_API_AUTHORITY: emulator.authority,
  PORT: String(TODO_API_PORT),
});
start('webapp', 'apps/webapp/dist/main.js', {
  AzureAd__Instance: `${emulator.baseUrl}/`,
  DownstreamApis__GraphAPI__BaseUrl: `${emulator.baseUrl}/v1.0`,
  DownstreamApis__TodoList__BaseUrl: `http://localhost:${TODO_API_PORT}`,
  PORT: String(WEB_APP_PORT),
});

start('express-webapp', 'apps/express-webapp/dist/main.js', {
  AzureAd__Instance: `${emulator.baseUrl}/`,
  DownstreamApis__GraphAPI__BaseUrl: `${emulator.baseUrl}/v1.0`,
  PORT: String(EXPRESS_APP_PORT),
});

console.log(`
Identity Web for NestJS — tour
  web app      http://localhost:${WEB_APP_PORT}
  Express app  http://localhost:${EXPRESS_APP_PORT} (the profile and mail pages, plain Express, no Nest)
  todo API     http://localhost:${TODO_API_PORT}
  Entra ID     ${emulator.authority} (local emulator)
Sign in as ${DEFAULT_USERS.alice.username} or ${DEFAULT_USERS.bob.username} (MFA code 123456), password ${DEFAULT_PASSWORD}.
The first sign-in asks consent once (sign-in and your profile). Todos and Mail ask for what they need
the first time; Write keeps what you typed while Mail.Send is granted, then sends it once. Ctrl+C stops.
`);
