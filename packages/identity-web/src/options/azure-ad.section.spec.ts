import { withAzureAd, normalize, problems } from '../../test/support/normalize-options';

describe('AzureAd', () => {
  describe('derived values', () => {
    it('uses a given authority, trimmed, and derives instance and tenant from it', () => {
      const { options } = normalize(
        withAzureAd({
          TenantId: undefined,
          Authority: 'https://login.microsoftonline.com/organizations/v2.0/',
        }),
      );
      expect(options.azureAd).toMatchObject({
        authority: 'https://login.microsoftonline.com/organizations',
        instance: 'https://login.microsoftonline.com/',
        tenantId: 'organizations',
      });
    });

    it('builds the B2C authority from instance, domain and the sign-up-sign-in flow', () => {
      const { options } = normalize(
        withAzureAd({
          TenantId: undefined,
          Instance: 'https://contoso.b2clogin.com',
          Domain: 'contoso.onmicrosoft.com',
          SignUpSignInPolicyId: 'B2C_1_susi',
          EditProfilePolicyId: 'B2C_1_edit',
        }),
      );
      expect(options.azureAd).toMatchObject({
        authority: 'https://contoso.b2clogin.com/contoso.onmicrosoft.com/B2C_1_susi',
        tenantId: 'contoso.onmicrosoft.com',
        domain: 'contoso.onmicrosoft.com',
        signUpSignInPolicyId: 'B2C_1_susi',
        editProfilePolicyId: 'B2C_1_edit',
      });
    });

    it('takes the callback path from the redirect URI when no CallbackPath is given', () => {
      expect(
        normalize(withAzureAd({ RedirectUri: 'https://app.example/auth/callback' })).options.azureAd
          .callbackPath,
      ).toBe('/auth/callback');
    });
  });

  describe('validation', () => {
    it('reports every missing required key on its own line, at once', () => {
      expect(problems({ AzureAd: {} })).toEqual([
        'AzureAd:ClientId is required: the application (client) ID of the app registration (a GUID).',
        expect.stringMatching(
          /^AzureAd:TenantId is required \(or give AzureAd:Authority\): the directory \(tenant\) ID/,
        ),
      ]);
    });

    it('requires the AzureAd section', () => {
      expect(problems({ DownstreamApis: {} })).toEqual([
        expect.stringMatching(/^AzureAd is required: the app registration section/),
      ]);
    });

    it.each([
      [
        'ClientId',
        withAzureAd({ ClientId: undefined }),
        /^AzureAd:ClientId is required: the application \(client\) ID/,
      ],
      ['TenantId', withAzureAd({ TenantId: undefined }), /^AzureAd:TenantId is required/],
      [
        'Domain for B2C',
        withAzureAd({ TenantId: undefined, SignUpSignInPolicyId: 'B2C_1_susi' }),
        /^AzureAd:Domain is required with B2C/,
      ],
      [
        'SignUpSignInPolicyId with other flows',
        withAzureAd({ Domain: 'contoso.onmicrosoft.com', ResetPasswordPolicyId: 'B2C_1_reset' }),
        /^AzureAd:SignUpSignInPolicyId is required when/,
      ],
    ])('a missing %s gets its own message', (_name, input, message) => {
      expect(problems(input)).toEqual([expect.stringMatching(message)]);
    });

    it.each([
      [
        'Instance not a URL',
        withAzureAd({ Instance: 'login.microsoftonline.com' }),
        /^AzureAd:Instance must be an absolute https URL/,
      ],
      [
        'Instance over http',
        withAzureAd({ Instance: 'http://login.example.com/' }),
        /^AzureAd:Instance must use https/,
      ],
      [
        'Instance ftp',
        withAzureAd({ Instance: 'ftp://login.example.com/' }),
        /^AzureAd:Instance must be an absolute https URL/,
      ],
      [
        'Authority over http',
        withAzureAd({ Authority: 'http://idp.example/t' }),
        /^AzureAd:Authority must use https/,
      ],
      ['TenantId with a slash', withAzureAd({ TenantId: 'a/b' }), /^AzureAd:TenantId must be a tenant GUID/],
      [
        'CallbackPath without slash',
        withAzureAd({ CallbackPath: 'signin-oidc' }),
        /^AzureAd:CallbackPath must be a path starting with a single '\/'/,
      ],
      [
        'CallbackPath protocol-relative',
        withAzureAd({ CallbackPath: '//evil/x' }),
        /^AzureAd:CallbackPath must be a path/,
      ],
      [
        'SignedOutCallbackPath',
        withAzureAd({ SignedOutCallbackPath: 'x' }),
        /^AzureAd:SignedOutCallbackPath must be a path/,
      ],
      [
        'RedirectUri not matching',
        withAzureAd({ CallbackPath: '/a', RedirectUri: 'https://app.example/b' }),
        /^AzureAd:RedirectUri must end with the CallbackPath/,
      ],
      [
        'ClientCapabilities not strings',
        withAzureAd({ ClientCapabilities: ['cp1', ''] }),
        /^AzureAd:ClientCapabilities:1 must be a non-empty string/,
      ],
      [
        'ClockSkewSeconds negative',
        withAzureAd({ ClockSkewSeconds: -1 }),
        /^AzureAd:ClockSkewSeconds must be a number of at least 0/,
      ],
      [
        'HttpTimeoutMs not a number',
        withAzureAd({ HttpTimeoutMs: 'soon' }),
        /^AzureAd:HttpTimeoutMs must be an integer of at least 1/,
      ],
      [
        'ResponseMode',
        withAzureAd({ ResponseMode: 'fragment' }),
        /^AzureAd:ResponseMode must be one of query, form_post/,
      ],
      [
        'ClientId not a string',
        withAzureAd({ ClientId: 42 }),
        /^AzureAd:ClientId must be a non-empty string \(got 42\)/,
      ],
      ['AzureAd not a section', { AzureAd: 'x' }, /^AzureAd must be a section/],
    ])('%s is refused, naming the key', (_name, input, message) => {
      expect(problems(input)).toContainEqual(expect.stringMatching(message));
    });
  });

  describe('values echoed in messages (regression: a client secret pasted into ClientId was printed)', () => {
    const pasted = 'Abc8Q~k3D2fGh_jKlMnOpQrStUvWxYz0123456789';

    it('shows only a short prefix and the length of a ClientId that is not a GUID', () => {
      const { warnings } = normalize(withAzureAd({ ClientId: pasted }));
      const warning = warnings.find((w) => w.startsWith('AzureAd:ClientId'));
      expect(warning).toBe(
        `AzureAd:ClientId is not a GUID (got "Abc…" (${pasted.length} characters)): is it still a placeholder?`,
      );
    });

    it('shows only a short prefix and the length of a malformed TenantId', () => {
      const [message] = problems(withAzureAd({ TenantId: `${pasted}/x` }));
      expect(message).toMatch(
        /^AzureAd:TenantId must be a tenant GUID.* \(got "Abc…" \(43 characters\)\)\.$/,
      );
      expect(message).not.toContain(pasted.slice(3, 10));
    });
  });

  describe('warnings', () => {
    it.each([
      [
        'an unknown AzureAd key',
        withAzureAd({ Colour: 'blue' }),
        /^AzureAd:Colour is not read by nest-identity-web; it is ignored\.$/,
      ],
      [
        'a Microsoft.Identity.Web key it does not support',
        withAzureAd({ SaveTokens: true }),
        /^AzureAd:SaveTokens is a Microsoft.Identity.Web setting that nest-identity-web does not support \(tokens stay in the token cache, never in the session\); it is ignored\.$/,
      ],
      [
        'a misspelt AzureAd key',
        withAzureAd({ ClientCapabilites: ['cp1'] }),
        /^AzureAd:ClientCapabilites is not read by nest-identity-web \(did you mean ClientCapabilities\?\)/,
      ],
      [
        'a ClientId that is not a GUID',
        withAzureAd({ ClientId: '[Your-Client-ID]' }),
        /^AzureAd:ClientId is not a GUID/,
      ],
      [
        'an http instance on localhost',
        withAzureAd({ Instance: 'http://localhost:8080/' }),
        /^AzureAd:Instance uses plain http: accepted on localhost only/,
      ],
      [
        'an http redirect URI outside localhost',
        withAzureAd({ RedirectUri: 'http://app.example/signin-oidc' }),
        /^AzureAd:RedirectUri uses plain http outside localhost/,
      ],
      ['form_post', withAzureAd({ ResponseMode: 'form_post' }), /^AzureAd:ResponseMode is form_post/],
      [
        'Authority with TenantId',
        withAzureAd({ Authority: 'https://login.microsoftonline.com/common' }),
        /^AzureAd:Authority is ignored: TenantId is given and wins over it, as in Microsoft.Identity.Web/,
      ],
    ])('warns about %s', (_name, input, message) => {
      expect(normalize(input).warnings).toEqual([expect.stringMatching(message)]);
    });

    it('does not warn about an http redirect URI on localhost', () => {
      expect(normalize(withAzureAd({ RedirectUri: 'http://localhost:3000/signin-oidc' })).warnings).toEqual(
        [],
      );
    });
  });
});
