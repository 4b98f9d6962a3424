import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { lifetimeWarnings, readConfigFile } from './config-file';

describe('readConfigFile', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'entra-emulator-config-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, content: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
    return path;
  };

  it('splits token lifetimes from the directory keys', () => {
    const path = write('ok.json', {
      accessTokenLifetimeSeconds: 900,
      idTokenLifetimeSeconds: 1800,
      users: [{ username: 'dave@contoso.onmicrosoft.com', password: 'pw' }],
    });
    expect(readConfigFile(path)).toEqual({
      accessTokenLifetimeSeconds: 900,
      idTokenLifetimeSeconds: 1800,
      directory: { users: [{ username: 'dave@contoso.onmicrosoft.com', password: 'pw' }] },
    });
  });

  it.each([
    [{ accessTokenLifetimeSeconds: 0 }, /accessTokenLifetimeSeconds: expected a positive integer/],
    [{ idTokenLifetimeSeconds: '600' }, /idTokenLifetimeSeconds: expected a positive integer/],
    [{ accessTokenLifetimeSeconds: 10.5 }, /accessTokenLifetimeSeconds: expected a positive integer/],
    [[1], /expected a JSON object/],
    ['{oops', /--config .*bad\.json: /],
  ])('refuses %j naming the key', (content, message) => {
    expect(() => readConfigFile(write('bad.json', content))).toThrow(message);
  });
});

describe('lifetimeWarnings', () => {
  it('warns under 300 s, where MSAL would renew on every call, and not otherwise', () => {
    expect(lifetimeWarnings({ accessTokenLifetimeSeconds: 299 })).toEqual([expect.stringContaining('300 s')]);
    expect(lifetimeWarnings({ accessTokenLifetimeSeconds: 300, idTokenLifetimeSeconds: 3600 })).toEqual([]);
    expect(lifetimeWarnings({ idTokenLifetimeSeconds: 60 })).toHaveLength(1);
  });
});
