import { spawn } from 'node:child_process';

import { ensureKeyMaterial } from '../certificates/certificate-store';
import { writeCaBundle } from '../certificates/ca-bundle';

const FORWARDED_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Runs a command that trusts the emulator's CA: ensures the CA exists, writes the CA bundle, and
 * spawns the command with `NODE_EXTRA_CA_CERTS` and `ENTRA_EMULATOR_HOME` set, stdio inherited and
 * signals forwarded. Resolves to the exit code to propagate.
 *
 * @example
 * ```ts
 * process.exitCode = await execWithEmulatorCa('npx', ['jest'], undefined);
 * ```
 */
export async function execWithEmulatorCa(
  command: string,
  args: string[],
  homeDir: string | undefined,
): Promise<number> {
  const material = await ensureKeyMaterial(homeDir);
  const bundle = writeCaBundle(material.homeDir, material.caCertificatePem);
  const child = spawn(command, args, {
    stdio: 'inherit',
    env: { ...process.env, NODE_EXTRA_CA_CERTS: bundle, ENTRA_EMULATOR_HOME: material.homeDir },
  });
  const forward = (signal: NodeJS.Signals) => () => {
    if (child.exitCode === null) child.kill(signal);
  };
  const handlers = FORWARDED_SIGNALS.map((signal) => [signal, forward(signal)] as const);
  for (const [signal, handler] of handlers) process.on(signal, handler);
  try {
    return await new Promise<number>((resolve) => {
      child.on('error', (err) => {
        console.error(`entra-emulator exec: cannot run '${command}': ${err.message}`);
        resolve(127);
      });
      child.on('exit', (code, signal) => {
        // A child killed by a signal reports 128 + signal number, as shells do.
        resolve(code ?? 128 + (signal ? signalNumber(signal) : 1));
      });
    });
  } finally {
    for (const [signal, handler] of handlers) process.off(signal, handler);
  }
}

function signalNumber(signal: NodeJS.Signals): number {
  return ({ SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 } as Record<string, number>)[signal] ?? 1;
}
