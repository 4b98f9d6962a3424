import { connect } from 'node:tls';

import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../index';

/**
 * Options of {@link startTestEmulator}: the emulator's own, and whether to check the trust.
 *
 * @example
 * ```ts
 * const options: TestEmulatorOptions = { controlApi: true, checkTrust: false };
 * ```
 */
export interface TestEmulatorOptions extends EmulatorOptions {
  /** Fail at start when this process does not trust the emulator's certificate (default true). */
  checkTrust?: boolean;
}

/**
 * Starts an emulator for a test file on a free port, like `startEmulator`, and checks that
 * this process trusts its HTTPS certificate: without that, every request your app makes to it
 * fails later with a bare `fetch failed`, so it fails here instead, saying to run the tests
 * through `npx entra-emulator exec -- <test command>`. Reset it between tests with
 * `emu.control.reset()`, close it with `emu.close()` (or let {@link useEmulator} do both).
 *
 * @example
 * ```ts
 * const emu = await startTestEmulator();
 * try {
 *   emu.control.grantConsent('alice@contoso.onmicrosoft.com', DEFAULT_APPS.webApp.clientId, ['User.Read']);
 * } finally {
 *   await emu.close();
 * }
 * ```
 */
export async function startTestEmulator(options: TestEmulatorOptions = {}): Promise<RunningEmulator> {
  const { checkTrust = true, ...emulatorOptions } = options;
  const emu = await startEmulator({ port: 0, ...emulatorOptions });
  if (!checkTrust) return emu;
  const problem = await trustProblem(emulatorOptions.host ?? '127.0.0.1', emu.port);
  if (problem === undefined) return emu;
  await emu.close();
  throw new Error(
    `entra-emulator/testing: this process does not trust the emulator's certificate (${problem}). ` +
      `Run the tests through \`npx entra-emulator exec -- <your test command>\`, which sets NODE_EXTRA_CA_CERTS ` +
      `to a bundle with the emulator's CA (${emu.caCertificatePath}) before Node starts.`,
  );
}

/** Why a TLS handshake with the default trust store fails, or undefined when it succeeds. */
function trustProblem(host: string, port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    // A bare handshake, not an HTTP request: the emulator's request counters stay at zero.
    const socket = connect({ host, port, servername: 'localhost' }, () => {
      socket.end();
      resolve(undefined);
    });
    socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}
