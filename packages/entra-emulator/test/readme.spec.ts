import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import * as kit from '../src/testing';

// The README's "Testing your app" section is what users copy: it must show the example that
// runs (readme-example.spec.ts) and name every function the kit exports.
describe("the README's Testing your app section", () => {
  const readme = readFileSync(join(__dirname, '../README.md'), 'utf8');
  const section = readme.slice(
    readme.indexOf('## Testing your app'),
    readme.indexOf('## Entra behaviours reproduced'),
  );

  it('shows test/readme-example.spec.ts verbatim', () => {
    const blocks = [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
    expect(blocks).toContain(readFileSync(join(__dirname, 'readme-example.spec.ts'), 'utf8'));
  });

  it('describes every export of entra-emulator/testing', () => {
    const missing = Object.keys(kit).filter((name) => !section.includes(`\`${name}`));
    expect(missing).toEqual([]);
  });
});
