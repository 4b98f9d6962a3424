import { applyEnvironmentOverrides } from './environment-overrides';

describe('applyEnvironmentOverrides', () => {
  it('overrides a key case-insensitively and keeps the key as the input spells it', () => {
    expect(applyEnvironmentOverrides({ azureAd: { clientId: 'a' } }, { AZUREAD__CLIENTID: 'b' })).toEqual({
      azureAd: { clientId: 'b' },
    });
  });

  it('replaces one array element and keeps the others', () => {
    const tree = { DownstreamApis: { TodoList: { Scopes: ['a', 'b', 'c'] } } };
    expect(applyEnvironmentOverrides(tree, { DownstreamApis__TodoList__Scopes__0: 'x' })).toEqual({
      DownstreamApis: { TodoList: { Scopes: ['x', 'b', 'c'] } },
    });
    expect(tree.DownstreamApis.TodoList.Scopes).toEqual(['a', 'b', 'c']);
  });

  it('creates sections, arrays and keys that the input lacks', () => {
    expect(
      applyEnvironmentOverrides(
        {},
        {
          AzureAd__ClientCredentials__0__SourceType: 'ClientSecret',
          AzureAd__ClientCredentials__0__ClientSecret: 's',
          IdentityWeb__Session__Secret: 'x',
        },
      ),
    ).toEqual({
      AzureAd: { ClientCredentials: [{ SourceType: 'ClientSecret', ClientSecret: 's' }] },
      IdentityWeb: { Session: { Secret: 'x' } },
    });
  });

  it('accepts ":" as separator too', () => {
    expect(applyEnvironmentOverrides({}, { 'AzureAd:TenantId': 't' })).toEqual({
      AzureAd: { TenantId: 't' },
    });
  });

  it('ignores variables outside the sections the library reads, and one-segment names', () => {
    const tree = { AzureAd: { ClientId: 'a' } };
    expect(
      applyEnvironmentOverrides(tree, {
        PATH: '/usr/bin',
        Logging__LogLevel: 'x',
        AzureAd: 'whole',
        HOME__X: 'y',
      }),
    ).toEqual(tree);
  });

  it('turns a string into an array when an element is overridden', () => {
    expect(
      applyEnvironmentOverrides({ DownstreamApi: { Scopes: 'a b' } }, { DownstreamApi__Scopes__1: 'z' }),
    ).toEqual({ DownstreamApi: { Scopes: [undefined, 'z'] } });
  });

  it('shares stores instead of copying them', () => {
    class Store {}
    const store = new Store();
    const literalStore = { entries: {}, get: () => undefined };
    const result = applyEnvironmentOverrides(
      { IdentityWeb: { Session: { Store: store }, TokenCache: { Store: literalStore } } },
      { IdentityWeb__Session__Secret: 's' },
    ) as { IdentityWeb: { Session: { Store: unknown }; TokenCache: { Store: unknown } } };
    expect(result.IdentityWeb.Session.Store).toBe(store);
    expect(result.IdentityWeb.TokenCache.Store).toBe(literalStore);
  });
});
