import { authorityHost, authorityTenant, isMicrosoftCloudHost, resolveAuthority } from './authority';

const base = {
  instance: 'https://login.microsoftonline.com/',
  tenantId: 'common',
  clientId: 'cid',
  callbackPath: '/signin-oidc',
  signedOutCallbackPath: '/signout-callback-oidc',
  clientCredentials: [],
};

describe('resolveAuthority', () => {
  it('joins instance and tenant', () => {
    expect(resolveAuthority(base)).toBe('https://login.microsoftonline.com/common');
  });

  it('prefers a configured authority, without /v2.0 or a trailing slash', () => {
    expect(resolveAuthority({ ...base, authority: 'https://localhost:8443/contoso/v2.0/' })).toBe(
      'https://localhost:8443/contoso',
    );
  });

  it('replaces the tenant for a request in another tenant', () => {
    expect(resolveAuthority(base, { tenant: 'fabrikam.com' })).toBe(
      'https://login.microsoftonline.com/fabrikam.com',
    );
    expect(resolveAuthority(base, { tenant: 'COMMON' })).toBe('https://login.microsoftonline.com/common');
  });

  it('builds the B2C form instance/domain/userFlow', () => {
    expect(
      resolveAuthority(
        { ...base, instance: 'https://contoso.b2clogin.com', domain: 'contoso.onmicrosoft.com' },
        { userFlow: 'B2C_1_susi' },
      ),
    ).toBe('https://contoso.b2clogin.com/contoso.onmicrosoft.com/B2C_1_susi');
  });

  it('reads host and tenant back', () => {
    expect(authorityHost('https://localhost:8443/t1')).toBe('localhost:8443');
    expect(authorityTenant('https://localhost:8443/t1')).toBe('t1');
    expect(isMicrosoftCloudHost('login.microsoftonline.com')).toBe(true);
    expect(isMicrosoftCloudHost('localhost:8443')).toBe(false);
  });
});
