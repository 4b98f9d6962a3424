import { join } from 'node:path';
import { exportedSymbols } from './documented-exports';

describe.each([
  ['nest-identity-web', '../../src/index.ts'],
  ['nest-identity-web/testing', '../../src/testing/index.ts'],
  ['nest-identity-web/browser', '../../src/browser/index.ts'],
  ['nest-identity-web/express', '../../src/express/index.ts'],
])('the public API of %s', (_name, index) => {
  const symbols = exportedSymbols(join(__dirname, index));

  it('documents every exported name with TSDoc that has an @example', () => {
    expect(symbols.filter((s) => !s.hasExample).map((s) => s.name)).toEqual([]);
  });
});
