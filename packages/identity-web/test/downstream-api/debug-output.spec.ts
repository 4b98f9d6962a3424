import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const CHILD = join(__dirname, 'support', 'debug-output.child.ts');

/** Everything the child printed (stdout and stderr) with every debug switch on. */
async function debugOutput(transport: string, token: string): Promise<string> {
  const { stdout, stderr } = await run(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', CHILD, transport],
    {
      env: {
        ...process.env,
        IW_TOKEN: token,
        TS_NODE_SWC: 'true',
        DEBUG: '*',
        NODE_DEBUG: 'http,https,net,tls,undici,fetch,stream',
      },
      timeout: 60_000,
    },
  );
  return stdout + stderr;
}

/** The token never reaches another package's debug output, whatever the transport. */
describe('downstream calls with DEBUG=* and NODE_DEBUG on', () => {
  it('print the token when axios follows redirects itself (the control: the debug switches are on)', async () => {
    const token = `tok-${randomBytes(12).toString('hex')}`;
    const output = await debugOutput('plain-axios', token);
    expect(output).toContain('done');
    expect(output).toContain(token);
  }, 60_000);

  it.each(['axios', 'undici'])(
    'never print the token over %s',
    async (transport) => {
      const token = `tok-${randomBytes(12).toString('hex')}`;
      const output = await debugOutput(transport, token);
      expect(output).toContain('done');
      // The debug switches did print (connections, requests), just never the token.
      expect(output).toMatch(/^(HTTP|NET|UNDICI)\s+\d+:/m);
      expect(output).not.toContain(token);
    },
    60_000,
  );
});
