import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';

import { webAppClientCredentialsForm } from './support/client-credentials-form';

// The real CLI entry point (src/cli.ts, which the package builds to its `bin`), in its own
// process, compiled on the fly so the test always runs the current source.
const CLI = join(__dirname, '../src/cli.ts');

function runCli(args: string[]): { child: ChildProcessWithoutNullStreams; output: () => string } {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', CLI, ...args], {
    env: { ...process.env, TS_NODE_SWC: 'true', TS_NODE_PROJECT: join(__dirname, '../tsconfig.json') },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

function exited(
  child: ChildProcessWithoutNullStreams,
): Promise<{ code: number | null; signal: string | null }> {
  if (child.exitCode !== null) return Promise.resolve({ code: child.exitCode, signal: null });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

function waitFor(run: ReturnType<typeof runCli>, pattern: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const match = pattern.exec(run.output());
      if (match) {
        run.child.stdout.off('data', check);
        run.child.off('exit', fail);
        resolve(match);
      }
    };
    const fail = () => reject(new Error(`CLI exited before printing ${pattern}:\n${run.output()}`));
    run.child.stdout.on('data', check);
    run.child.once('exit', fail);
    check();
  });
}

describe('the entra-emulator CLI process', () => {
  const started: ChildProcessWithoutNullStreams[] = [];
  afterAll(() => {
    for (const child of started) if (child.exitCode === null) child.kill('SIGKILL');
  });

  it('serves on the port it prints, honours --access-token-lifetime, and exits 0 on SIGTERM', async () => {
    const run = runCli(['--port', '0', '--control-api', '--access-token-lifetime', '120']);
    started.push(run.child);
    const [, authority] = await waitFor(run, /authority\s+(https:\/\/localhost:\d+\/[0-9a-f-]{36})\n/);
    expect(run.output()).toContain('access token lifetime 120 s is under 300 s');

    const discovery = await fetch(`${authority}/v2.0/.well-known/openid-configuration`);
    expect(discovery.status).toBe(200);
    const { token_endpoint: tokenEndpoint } = (await discovery.json()) as { token_endpoint: string };
    const token = await fetch(tokenEndpoint, {
      method: 'POST',
      body: webAppClientCredentialsForm(),
    });
    expect(await token.json()).toMatchObject({ expires_in: 120 });
    const reset = await fetch(`${new URL(authority).origin}/_emulator/reset`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
    });
    expect(reset.status).toBe(204);

    run.child.kill('SIGTERM');
    expect(await exited(run.child)).toEqual({ code: 0, signal: null });
  });

  it('prints the usage text once for an unknown argument and exits 2', async () => {
    const run = runCli(['--bogus']);
    started.push(run.child);
    expect(await exited(run.child)).toEqual({ code: 2, signal: null });
    expect(run.output()).toContain("unknown argument '--bogus'");
    expect(run.output().match(/Usage:/g)).toHaveLength(1);
  });
});
