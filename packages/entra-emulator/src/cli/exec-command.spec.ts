import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { execWithEmulatorCa } from './exec-command';

describe('execWithEmulatorCa', () => {
  let home: string;
  beforeAll(() => {
    home = mkdtempSync(join(tmpdir(), 'entra-emulator-exec-'));
  });
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it('runs the command with NODE_EXTRA_CA_CERTS (the bundle) and ENTRA_EMULATOR_HOME, and returns its exit code', async () => {
    const out = join(home, 'env.json');
    const script = `require('fs').writeFileSync(${JSON.stringify(out)}, JSON.stringify({ ca: process.env.NODE_EXTRA_CA_CERTS, home: process.env.ENTRA_EMULATOR_HOME })); process.exit(3)`;
    const code = await execWithEmulatorCa(process.execPath, ['-e', script], home);
    expect(code).toBe(3);
    const env = JSON.parse(readFileSync(out, 'utf8')) as { ca: string; home: string };
    expect(env).toEqual({ ca: join(home, 'ca-bundle.pem'), home });
    expect(readFileSync(env.ca, 'utf8')).toContain(readFileSync(join(home, 'ca.pem'), 'utf8').trim());
  });

  it('returns 127 when the command does not exist', async () => {
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(await execWithEmulatorCa('definitely-not-a-command-xyz', [], home)).toBe(127);
  });
});
