import { spawn } from 'node:child_process';
import { join } from 'node:path';

import type { RunningEmulator } from '../../src/index';
import { startTestEmulator, useEmulator, type TestHooks } from '../../src/testing';

/** Runs a script in a plain Node process (no Jest), with the kit's source compiled on the fly. */
function runNode(script: string, env: NodeJS.ProcessEnv): Promise<string> {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], {
    env: { ...env, TS_NODE_SWC: 'true', TS_NODE_PROJECT: join(__dirname, '../../tsconfig.json') },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.once('exit', () => resolve(output)));
}

describe('startTestEmulator and useEmulator', () => {
  it('starts an emulator this process trusts, without sending it a request', async () => {
    const emu = await startTestEmulator();
    try {
      expect(emu.control.counters().endpoints).toEqual({});
      expect((await fetch(`${emu.authority}/v2.0/.well-known/openid-configuration`)).ok).toBe(true);
    } finally {
      await emu.close();
    }
  });

  it('loads without a test runner, and says to use `entra-emulator exec` when Node does not trust the CA', async () => {
    const env = { ...process.env };
    delete env.NODE_EXTRA_CA_CERTS;
    const output = await runNode(
      `const kit = require(${JSON.stringify(join(__dirname, '../../src/testing'))});
       const out = {};
       try { kit.useEmulator(); } catch (e) { out.hooks = e.message; }
       kit.startTestEmulator().then(() => (out.started = true), (e) => (out.trust = e.message))
         .finally(() => console.log(JSON.stringify(out)));`,
      env,
    );
    const out = JSON.parse(output.trim().split('\n').pop() ?? '{}') as Record<string, unknown>;
    expect(out.hooks).toMatch(
      /no beforeAll hook; call this inside a Jest or Vitest test file, or pass the hooks/,
    );
    expect(out.started).toBeUndefined();
    expect(out.trust).toMatch(
      /does not trust the emulator's certificate \(\w+\)\. Run the tests through `npx entra-emulator exec/,
    );
  });

  it("registers with the hooks it is given (node:test's, say): start, reset before each test, close", async () => {
    const registered: Partial<Record<keyof TestHooks, () => unknown>> = {};
    const hooks = {
      beforeAll: (fn: () => unknown) => (registered.beforeAll = fn),
      afterAll: (fn: () => unknown) => (registered.afterAll = fn),
      beforeEach: (fn: () => unknown) => (registered.beforeEach = fn),
    };
    const emu = useEmulator({}, hooks);
    expect(() => emu()).toThrow('The emulator starts in beforeAll: use it inside a hook or a test');

    await registered.beforeAll!();
    const running: RunningEmulator = emu();
    running.control.injectFault({ endpoint: 'token', status: 503 });
    await registered.beforeEach!();
    const token = await fetch(`${running.authority}/oauth2/v2.0/token`, { method: 'POST' });
    expect(token.status).toBe(400); // the fault is gone: a real (bad) request answer
    await registered.afterAll!();
    await expect(fetch(running.authority)).rejects.toThrow();
    expect(() => emu()).toThrow();
  });
});
