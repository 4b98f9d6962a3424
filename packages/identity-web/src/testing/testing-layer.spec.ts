import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

// nest-identity-web/testing ships with the library but for tests only: the library must not
// load it (a double in production code would answer fake tokens).
describe('nest-identity-web/testing is used by tests only', () => {
  const src = join(__dirname, '..');

  function shipped(dir: string): string[] {
    const names = readdirSync(dir, { recursive: true, encoding: 'utf8' });
    return names.filter((name) => /(?<!\.spec)\.ts$/.test(name)).map((name) => join(dir, name));
  }

  it('no library file outside testing/ imports it', () => {
    const offenders = shipped(src)
      .filter((file) => !file.startsWith(join(src, 'testing')))
      .filter((file) =>
        /(?:from|import\()\s*'\.{1,2}\/(?:[^']*\/)?testing(?:\/[^']*)?'/.test(readFileSync(file, 'utf8')),
      )
      .map((file) => relative(src, file));
    expect(offenders).toEqual([]);
  });
});
