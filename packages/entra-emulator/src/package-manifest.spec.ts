import { builtinModules } from 'node:module';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

// Regression: the tests used msal-node, jose, the Graph client and tough-cookie without the
// package declaring them, so they only worked inside this monorepo's hoisted node_modules.
describe('package.json declares every package the source and tests import', () => {
  const root = join(__dirname, '..');
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
  };
  const declared = new Set([
    ...Object.keys(manifest.dependencies ?? {}),
    ...Object.keys(manifest.devDependencies ?? {}),
  ]);

  function files(dir: string): string[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory()
        ? files(join(dir, entry.name))
        : entry.name.endsWith('.ts')
          ? [join(dir, entry.name)]
          : [],
    );
  }

  it.each(['src', 'test'])('%s', (dir) => {
    const imported = new Set<string>();
    for (const file of files(join(root, dir))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/(?:from|import\()\s*'([^'.][^']*)'/g)) {
        const parts = m[1].split('/');
        imported.add(m[1].startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]);
      }
    }
    const undeclared = [...imported].filter(
      (name) => !name.startsWith('node:') && !builtinModules.includes(name) && !declared.has(name),
    );
    expect(undeclared).toEqual([]);
  });
});
