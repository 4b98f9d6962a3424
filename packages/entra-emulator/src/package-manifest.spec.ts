import { builtinModules } from 'node:module';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

// Regression: the tests used msal-node, jose, the Graph client and tough-cookie without the
// package declaring them, so they only worked inside this monorepo's hoisted node_modules.
describe('package.json declares every package the source and tests import', () => {
  const root = join(__dirname, '..');
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    name: string;
    dependencies?: Record<string, string>;
    peerDependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
  };
  // What an installed copy has (the package may import itself by name, through its exports map)...
  const published = new Set([
    manifest.name,
    ...Object.keys(manifest.dependencies ?? {}),
    ...Object.keys(manifest.peerDependencies ?? {}),
  ]);
  // ...and what this repository's tests may use besides.
  const forTests = new Set([...published, ...Object.keys(manifest.devDependencies ?? {})]);

  function files(dir: string): string[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory()
        ? files(join(dir, entry.name))
        : entry.name.endsWith('.ts')
          ? [join(dir, entry.name)]
          : [],
    );
  }

  function undeclared(sources: string[], declared: Set<string>): string[] {
    const imported = new Set<string>();
    for (const file of sources) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/(?:from|import\()\s*'([^'.][^']*)'/g)) {
        const parts = m[1].split('/');
        imported.add(m[1].startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]);
      }
    }
    return [...imported].filter(
      (name) => !name.startsWith('node:') && !builtinModules.includes(name) && !declared.has(name),
    );
  }

  const sourceFiles = files(join(root, 'src'));

  it('src: only dependencies and peer dependencies, which users install', () => {
    const shipped = sourceFiles.filter((file) => !file.endsWith('.spec.ts'));
    expect(undeclared(shipped, published)).toEqual([]);
  });

  it('specs and test: dev dependencies too', () => {
    const tests = [...sourceFiles.filter((file) => file.endsWith('.spec.ts')), ...files(join(root, 'test'))];
    expect(undeclared(tests, forTests)).toEqual([]);
  });
});
