import { overlayTree } from './configuration-tree';

describe('overlayTree, as .NET layers configuration files', () => {
  it('merges sections key by key, matching keys in any casing and keeping the base spelling', () => {
    const base = { AzureAd: { Instance: 'https://a/', TenantId: 't' }, Logging: { Level: 'Info' } };
    expect(overlayTree(base, { azuread: { instance: 'https://b/' } })).toEqual({
      AzureAd: { Instance: 'https://b/', TenantId: 't' },
      Logging: { Level: 'Info' },
    });
    expect(base.AzureAd.Instance).toBe('https://a/');
  });

  it('merges arrays element by element: a shorter overlay keeps the later base elements', () => {
    expect(overlayTree({ Scopes: ['a', 'b', 'c'] }, { Scopes: ['x'] })).toEqual({ Scopes: ['x', 'b', 'c'] });
    expect(
      overlayTree(
        { ClientCredentials: [{ SourceType: 'ClientSecret', ClientSecret: 'old' }] },
        { ClientCredentials: [{ ClientSecret: 'new' }] },
      ),
    ).toEqual({ ClientCredentials: [{ SourceType: 'ClientSecret', ClientSecret: 'new' }] });
  });

  it('replaces values of another kind', () => {
    expect(overlayTree({ Scopes: 'a b' }, { Scopes: ['c'] })).toEqual({ Scopes: ['c'] });
    expect(overlayTree({ A: { B: 1 } }, { A: null })).toEqual({ A: null });
  });
});
