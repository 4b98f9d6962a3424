import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';

import { ensureKeyMaterial } from './certificates/certificate-store';
import { EmulatorControl } from './control/emulator-control';
import { Directory } from './directory/directory';
import { EmulatorRuntime } from './emulator-runtime';
import type { EmulatorOptions, RunningEmulator } from './emulator-options';
import { registerAuthorizeEndpoint } from './endpoints/authorize.endpoint';
import { registerLogoutEndpoint } from './endpoints/logout.endpoint';
import { registerGraphEndpoints } from './graph/graph.endpoints';
import { registerControlApi } from './control/control-api.endpoints';
import { registerUserInfoEndpoint } from './endpoints/userinfo.endpoint';
import { registerDiscoveryEndpoints } from './endpoints/discovery.endpoints';
import { registerTokenEndpoint } from './endpoints/token.endpoint';
import { SigningKey } from './tokens/jwt';

/**
 * Starts the emulator: loads (or, the first time, generates) its CA, HTTPS certificate and signing
 * key, and serves Entra ID's endpoints over HTTPS.
 *
 * @example
 * ```ts
 * const emu = await startEmulator({ controlApi: true });
 * console.log(emu.authority); // https://localhost:PORT/<tenant id>
 * await emu.close();
 * ```
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  validateOptions(options);
  const host = options.host ?? '127.0.0.1';
  if (options.controlApi && !isLoopbackHost(host)) {
    if (!options.allowRemoteControl) {
      throw new Error(
        `entra-emulator options.controlApi: the control API may only listen on a loopback host, not '${host}'; set allowRemoteControl (--allow-remote-control) to accept that risk`,
      );
    }
    console.warn(
      `entra-emulator: WARNING the control API listens on '${host}': anyone who reaches this port can reset the emulator, add users and apps, and read sent mail`,
    );
  }
  const material = await ensureKeyMaterial(options.homeDir);
  const directory = new Directory(options.directory);
  const runtime = new EmulatorRuntime({
    directory,
    signingKey: new SigningKey(material.signingKeyPem, material.signingCertificatePem),
    accessTokenLifetimeSeconds: options.accessTokenLifetimeSeconds ?? 3600,
    idTokenLifetimeSeconds: options.idTokenLifetimeSeconds ?? 3600,
    advertisePkce: options.advertisePkce ?? false,
  });
  const control = new EmulatorControl(runtime);
  registerDiscoveryEndpoints(runtime);
  registerTokenEndpoint(runtime);
  const sessions = registerAuthorizeEndpoint(runtime);
  registerLogoutEndpoint(runtime, sessions);
  registerGraphEndpoints(runtime);
  registerUserInfoEndpoint(runtime);
  if (options.controlApi) registerControlApi(runtime, control);

  const server = createServer(
    { cert: material.serverCertificatePem, key: material.serverPrivateKeyPem },
    (req, res) => {
      void runtime.handle(req, res);
    },
  );
  // Bounded time-outs: a client that never finishes its request cannot hold a socket forever.
  server.requestTimeout = 15_000;
  server.headersTimeout = 10_000;
  server.keepAliveTimeout = 5_000;
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  runtime.baseUrl = `https://localhost:${port}`;
  const tenantId = directory.defaultTenant.id;
  return {
    baseUrl: runtime.baseUrl,
    host: `localhost:${port}`,
    port,
    tenantId,
    authority: `${runtime.baseUrl}/${tenantId}`,
    caCertificatePem: material.caCertificatePem,
    caCertificatePath: material.caCertificatePath,
    directory,
    control,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * Whether a listen address only accepts connections from this machine.
 *
 * @example
 * ```ts
 * isLoopbackHost('127.0.0.1'); // true
 * isLoopbackHost('0.0.0.0'); // false
 * ```
 */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return (
    bare === 'localhost' ||
    bare === '::1' ||
    /^127(\.\d{1,3}){3}$/.test(bare) ||
    /^::ffff:127(\.\d{1,3}){3}$/.test(bare)
  );
}

function validateOptions(options: EmulatorOptions): void {
  const { port, accessTokenLifetimeSeconds: at, idTokenLifetimeSeconds: id } = options;
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65535)) {
    throw new Error(`entra-emulator options.port: expected an integer 0..65535, got ${String(port)}`);
  }
  for (const [name, value] of [
    ['accessTokenLifetimeSeconds', at],
    ['idTokenLifetimeSeconds', id],
  ] as const) {
    if (value !== undefined && !(Number.isInteger(value) && value > 0)) {
      throw new Error(`entra-emulator options.${name}: expected a positive integer, got ${String(value)}`);
    }
  }
}
