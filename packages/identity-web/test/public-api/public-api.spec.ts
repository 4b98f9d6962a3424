import { join } from 'node:path';
import { exportedSymbols } from './documented-exports';

const INDEX = join(__dirname, '../../src/index.ts');

describe('the public API of nest-identity-web', () => {
  const symbols = exportedSymbols(INDEX);

  it('documents every exported name with TSDoc that has an @example', () => {
    expect(symbols.filter((s) => !s.hasExample).map((s) => s.name)).toEqual([]);
  });
});
