import { spawn } from 'node:child_process';
import { join } from 'node:path';

const PACKAGE = join(__dirname, '..', '..', '..');

/** Runs the child app with `DEBUG=*`; resolves with everything it printed. */
function runWithDebug(): Promise<{ exitCode: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['-r', 'ts-node/register', join(__dirname, 'debug-output.child.ts')],
      {
        cwd: PACKAGE,
        // The parent runs under `entra-emulator exec`: NODE_EXTRA_CA_CERTS is inherited.
        env: { ...process.env, DEBUG: '*', TS_NODE_PROJECT: 'tsconfig.json', TS_NODE_TRANSPILE_ONLY: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (exitCode) => resolve({ exitCode, output }));
  });
}

describe('DEBUG=* output of a sign-in (regression: Express router logged the callback URL with the code)', () => {
  it('never contains the authorization code the callback redeemed', async () => {
    const { exitCode, output } = await runWithDebug();
    expect(output).not.toMatch(/CHILD_FAILED/);
    expect(exitCode).toBe(0);
    expect(output).toMatch(/CALLBACK_STATUS=302 LOCATION=\//);
    // The debug output is really on: Express's router reported the callback request.
    expect(output).toMatch(/router dispatching GET \/signin-oidc\?state=/);
    const code = /CODE_USED=(\S+)/.exec(output)?.[1];
    expect(code).toBeDefined();
    const withoutReport = output.replace(`CODE_USED=${code}`, '');
    expect(withoutReport).not.toContain(code);
  }, 120_000);
});
