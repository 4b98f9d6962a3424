import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

// The test kit sits on top of the emulator's public API: the emulator must run without it, and
// it must keep working for users, who only have what `entra-emulator` exports.
describe('entra-emulator/testing is a layer on the public API', () => {
  const src = join(__dirname, '..');

  function sources(dir: string): string[] {
    const names = readdirSync(dir, { recursive: true, encoding: 'utf8' });
    return names.filter((name) => /(?<!\.spec)\.ts$/.test(name)).map((name) => join(dir, name));
  }

  function imports(file: string): string[] {
    return [...readFileSync(file, 'utf8').matchAll(/(?:from|import\()\s*'([^']+)'/g)].map((m) => m[1]);
  }

  const kit = join(src, 'testing');

  it('nothing outside testing/ imports it', () => {
    const offenders = sources(src)
      .filter((file) => !file.startsWith(kit))
      .filter((file) => imports(file).some((path) => /^\.{1,2}\/(.*\/)?testing(\/|$)/.test(path)))
      .map((file) => relative(src, file));
    expect(offenders).toEqual([]);
  });

  it('testing/ reaches the emulator only through ../index, and never the NestJS library', () => {
    const offenders = sources(kit).flatMap((file) =>
      imports(file)
        .filter(
          (path) => (path.startsWith('../') && path !== '../index') || path.startsWith('nest-identity-web'),
        )
        .map((path) => `${relative(src, file)} imports ${path}`),
    );
    expect(offenders).toEqual([]);
  });
});
