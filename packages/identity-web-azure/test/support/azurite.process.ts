import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The account every Azurite instance serves. */
export const AZURITE_ACCOUNT = 'devstoreaccount1';

/** A running Azurite blob service. */
export interface RunningAzurite {
  /** `https://127.0.0.1:<port>/devstoreaccount1`: the blob service URL for `BlobServiceClient`. */
  blobServiceUrl: string;
  stop(): Promise<void>;
}

/** TLS material Azurite serves with; its CA must be one Node trusts (NODE_EXTRA_CA_CERTS). */
export interface AzuriteTls {
  certificatePem: string;
  privateKeyPem: string;
}

/**
 * Starts the real Azurite blob service as a child process on a free loopback port, over https,
 * accepting bearer tokens (`--oauth basic`: audience, v1 issuer and lifetime checked, not the
 * signature), keeping blobs in memory. Fails with a clear error if it is not listening in time.
 */
export async function startAzurite(tls: AzuriteTls, startTimeoutMs = 15_000): Promise<RunningAzurite> {
  const workDir = mkdtempSync(join(tmpdir(), 'azurite-'));
  writeFileSync(join(workDir, 'cert.pem'), tls.certificatePem);
  writeFileSync(join(workDir, 'key.pem'), tls.privateKeyPem, { mode: 0o600 });
  const main = require.resolve('azurite/dist/src/blob/main.js');
  const child = spawn(
    process.execPath,
    [
      main,
      '--blobHost',
      '127.0.0.1',
      '--blobPort',
      '0',
      '--inMemoryPersistence',
      '--extentMemoryLimit',
      '64',
      '--oauth',
      'basic',
      '--cert',
      join(workDir, 'cert.pem'),
      '--key',
      join(workDir, 'key.pem'),
      '--skipApiVersionCheck',
      '--disableTelemetry',
      '--silent',
    ],
    { cwd: workDir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const stop = async () => {
    await stopChild(child);
    rmSync(workDir, { recursive: true, force: true });
  };
  try {
    const origin = await listeningOrigin(child, startTimeoutMs);
    return { blobServiceUrl: `${origin}/${AZURITE_ACCOUNT}`, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Resolves with the origin Azurite prints once listening; rejects on exit or time-out. */
function listeningOrigin(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const fail = (reason: string) => {
      clearTimeout(timer);
      reject(
        new Error(`Azurite did not start: ${reason}. Its output: ${output.trim().slice(-800) || '(none)'}`),
      );
    };
    const timer = setTimeout(() => fail(`not listening after ${timeoutMs} ms`), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /successfully listens on (https:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        child.off('exit', onExit);
        resolve(match[1].replace(/\/$/, ''));
      }
    };
    const onExit = (code: number | null, signal: string | null) =>
      fail(`exited (code ${code}, signal ${signal})`);
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
    child.once('error', (error) => fail(error.message));
  });
}

/** SIGTERM, then SIGKILL if Azurite has not exited within 5 s. */
function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
