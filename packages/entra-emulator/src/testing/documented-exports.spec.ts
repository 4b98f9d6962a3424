import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

// The kit is read from editors' hovers as much as from the README: every export says what it is
// for and shows a use.
describe('every export of entra-emulator/testing has TSDoc with an @example', () => {
  const exported = [
    ...readFileSync(join(__dirname, 'index.ts'), 'utf8').matchAll(/export (?:type )?\{([^}]*)\}/g),
  ]
    .flatMap((m) => m[1].split(','))
    .map((name) => name.trim())
    .filter(Boolean);
  const sources = readdirSync(__dirname)
    .filter((name) => /(?<!\.spec)\.ts$/.test(name) && name !== 'index.ts')
    .map((name) => readFileSync(join(__dirname, name), 'utf8'));

  it.each(exported)('%s', (name) => {
    const declaration = new RegExp(
      `/\\*\\*((?:(?!\\*/)[\\s\\S])*)\\*/\\n(?:export (?:async function|function|class|interface|type|const) ${name}\\b)`,
    );
    const doc = sources.map((text) => declaration.exec(text)?.[1]).find((found) => found !== undefined);
    expect(doc).toContain('@example');
  });
});
