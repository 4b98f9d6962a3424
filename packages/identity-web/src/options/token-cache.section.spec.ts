import { base, normalize, problems } from '../../test/support/normalize-options';

describe('IdentityWeb:TokenCache', () => {
  it('keeps tokens in memory by default, with a hot index of 100 000 entries', () => {
    expect(normalize(base()).options.tokenCache).toEqual({ hotIndexSize: 100_000 });
  });

  it('reads HotIndexSize from an environment variable', () => {
    const { options } = normalize(base(), { IdentityWeb__TokenCache__HotIndexSize: '500' });
    expect(options.tokenCache.hotIndexSize).toBe(500);
  });

  it.each([-1, 1.5, 'many'])('refuses a HotIndexSize of %p', (size) => {
    expect(problems({ ...base(), IdentityWeb: { TokenCache: { HotIndexSize: size } } })).toEqual([
      expect.stringMatching(/^IdentityWeb:TokenCache:HotIndexSize must be an integer of at least 0/),
    ]);
  });

  it('keeps a store given in code when an environment variable sets another key of the section', () => {
    const store = { get: async () => undefined, set: async () => {}, remove: async () => {} };
    const { options } = normalize(
      { ...base(), tokenCache: { store } },
      { IdentityWeb__TokenCache__HotIndexSize: '10' },
    );
    expect(options.tokenCache.store).toBe(store);
    expect(options.tokenCache.hotIndexSize).toBe(10);
    expect(Object.isFrozen(store)).toBe(false);
  });
});
