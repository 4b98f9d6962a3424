import { inspect } from 'node:util';
import { InvalidConfigurationError } from '../errors';
import type { IdentityWebModuleInput } from './identity-web.app-settings';
import { freezeTree } from './configuration-tree';
import { normalizeOptions, normalizeResolvedTree } from './normalize-options';
import { OptionsValidationError } from './options-validation.error';

const CLIENT_ID = '11111111-2222-3333-4444-555555555555';
const SECRET = 'a-client-secret-that-must-never-be-printed';

function base(): Record<string, Record<string, unknown>> {
  return {
    AzureAd: {
      TenantId: 'contoso.onmicrosoft.com',
      ClientId: CLIENT_ID,
      ClientCredentials: [{ SourceType: 'ClientSecret', ClientSecret: SECRET }],
    },
  };
}

/** Runs normalizeOptions with an empty environment, collecting warnings. */
function normalize(input: unknown, env: Record<string, string> = {}) {
  const warnings: string[] = [];
  const options = normalizeOptions(input as IdentityWebModuleInput, env, {
    warn: (m: string) => warnings.push(m),
  });
  // The generated-session-secret warning has its own tests below.
  return { options, warnings: warnings.filter((w) => !w.includes('using a random secret')) };
}

/** The problems' messages, one per line, when normalisation fails. */
function problems(input: unknown, env: Record<string, string> = {}): string[] {
  try {
    normalize(input, env);
  } catch (err) {
    expect(err).toBeInstanceOf(OptionsValidationError);
    expect(err).toBeInstanceOf(InvalidConfigurationError);
    expect((err as OptionsValidationError).code).toBe('invalid_configuration');
    return (err as Error).message.split('\n');
  }
  throw new Error('expected a configuration error');
}

function withAzureAd(patch: Record<string, unknown>) {
  const input = base();
  input.AzureAd = { ...input.AzureAd, ...patch };
  for (const [key, value] of Object.entries(patch)) if (value === undefined) delete input.AzureAd[key];
  return input;
}

describe('normalizeOptions', () => {
  describe('defaults and derived values', () => {
    it('fills in the defaults and derives the authority', () => {
      const { options, warnings } = normalize(base());
      expect(options.azureAd).toMatchObject({
        instance: 'https://login.microsoftonline.com/',
        tenantId: 'contoso.onmicrosoft.com',
        clientId: CLIENT_ID,
        authority: 'https://login.microsoftonline.com/contoso.onmicrosoft.com',
        callbackPath: '/signin-oidc',
        signedOutCallbackPath: '/signout-callback-oidc',
        postLogoutRedirectPath: '/',
        clientCredentials: [{ sourceType: 'ClientSecret', clientSecret: SECRET }],
        clientCapabilities: [],
        clockSkewSeconds: 120,
        httpTimeoutMs: 10_000,
        responseMode: 'query',
      });
      expect(options.accountRoutesPrefix).toBe('/account');
      expect(options.requireSignIn).toBe(true);
      expect(options.signOutMethods).toEqual(['GET', 'POST']);
      expect(options.downstreamApis).toEqual({});
      expect(options.session).toMatchObject({ cookieName: 'iw.sid', secure: 'auto', sameSite: 'lax' });
      expect(options.tokenCache).toEqual({ hotIndexSize: 100_000 });
      expect(warnings).toEqual([]);
    });

    it('accepts camelCase options and gives the same result as PascalCase', () => {
      const camel = normalize({
        azureAd: {
          tenantId: 'contoso.onmicrosoft.com',
          clientId: CLIENT_ID,
          clientCredentials: [{ sourceType: 'ClientSecret', clientSecret: SECRET }],
        },
      }).options;
      const pascal = normalize(base()).options;
      expect({ ...camel, session: { ...camel.session, secret: '' } }).toEqual({
        ...pascal,
        session: { ...pascal.session, secret: '' },
      });
    });

    it('matches keys in any casing at every level', () => {
      const { options } = normalize({
        AZUREAD: {
          tenantid: 'common',
          CLIENTID: CLIENT_ID,
          clientcredentials: [{ sourcetype: 'clientsecret', CLIENTSECRET: SECRET }],
        },
        downstreamapis: { Graph: { BASEURL: 'https://graph.microsoft.com/v1.0', scopes: ['user.read'] } },
      });
      expect(options.azureAd.authority).toBe('https://login.microsoftonline.com/common');
      expect(options.azureAd.clientCredentials).toEqual([
        { sourceType: 'ClientSecret', clientSecret: SECRET },
      ]);
      expect(options.downstreamApis.Graph).toEqual({
        baseUrl: 'https://graph.microsoft.com/v1.0',
        scopes: ['user.read'],
      });
    });

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

    it('folds the legacy AzureAd:ClientSecret into the credentials', () => {
      const { options } = normalize(withAzureAd({ ClientCredentials: undefined, ClientSecret: SECRET }));
      expect(options.azureAd.clientCredentials).toEqual([
        { sourceType: 'ClientSecret', clientSecret: SECRET },
      ]);
    });

    it('accepts certificate and signed-assertion credentials', () => {
      const { options } = normalize(
        withAzureAd({
          SendX5C: 'true',
          ClientCredentials: [
            { SourceType: 'Base64Encoded', Base64EncodedValue: 'TUlJQ2Rq', CertificatePassword: 'pw' },
            { SourceType: 'Path', CertificateDiskPath: __filename },
            { SourceType: 'SignedAssertionFilePath', SignedAssertionFileDiskPath: '/var/run/token' },
          ],
        }),
      );
      expect(options.azureAd.clientCredentials).toEqual([
        {
          sourceType: 'Base64Encoded',
          base64EncodedValue: 'TUlJQ2Rq',
          certificatePassword: 'pw',
          sendX5c: true,
        },
        { sourceType: 'Path', certificateDiskPath: __filename, sendX5c: true },
        { sourceType: 'SignedAssertionFilePath', signedAssertionFileDiskPath: '/var/run/token' },
      ]);
    });

    it('prints without secrets (console.log, util.inspect, JSON.stringify) while the library still reads them', () => {
      const sessionSecret = 'a-session-secret-that-must-never-be-printed';
      const certificate = 'TUlJQ2RqQ0NBbDZnQXdJQkFnSVFkZW1v';
      const { options } = normalize({
        ...withAzureAd({
          ClientCredentials: [
            { SourceType: 'ClientSecret', ClientSecret: SECRET },
            {
              SourceType: 'Base64Encoded',
              Base64EncodedValue: certificate,
              CertificatePassword: 'pfx-password',
            },
          ],
        }),
        session: { secret: sessionSecret },
      });
      const printed = [
        inspect(options, { depth: Infinity }),
        inspect(options),
        inspect(options.azureAd.clientCredentials),
        JSON.stringify(options),
        JSON.stringify(options.session),
      ];
      for (const text of printed) {
        for (const secret of [SECRET, sessionSecret, certificate, 'pfx-password'])
          expect(text).not.toContain(secret);
      }
      expect(printed[0]).toContain("clientSecret: '[redacted]'");
      expect(JSON.parse(printed[3])).toMatchObject({
        azureAd: {
          clientId: CLIENT_ID,
          clientCredentials: [
            { sourceType: 'ClientSecret', clientSecret: '[redacted]' },
            { base64EncodedValue: '[redacted]', certificatePassword: '[redacted]' },
          ],
        },
        session: { secret: '[redacted]', cookieName: 'iw.sid' },
      });
      // Reads, copies and key lists still see the values.
      expect(options.azureAd.clientCredentials[0].clientSecret).toBe(SECRET);
      expect({ ...options.azureAd.clientCredentials[1] }.certificatePassword).toBe('pfx-password');
      expect(options.session.secret).toBe(sessionSecret);
      expect(Object.keys(options.session)).not.toContain('toJSON');
      expect(Object.isFrozen(options.azureAd.clientCredentials[0])).toBe(true);
    });

    it('takes the signed-assertion file from AZURE_FEDERATED_TOKEN_FILE when the entry has none', () => {
      const { options } = normalize(
        withAzureAd({ ClientCredentials: [{ SourceType: 'SignedAssertionFilePath' }] }),
        {
          AZURE_FEDERATED_TOKEN_FILE: '/var/run/secrets/azure/tokens/azure-identity-token',
        },
      );
      expect(options.azureAd.clientCredentials[0]?.signedAssertionFileDiskPath).toBe(
        '/var/run/secrets/azure/tokens/azure-identity-token',
      );
    });

    it('skips Microsoft.Identity.Web credential types it cannot load, with a warning', () => {
      const { options, warnings } = normalize(
        withAzureAd({
          ClientCredentials: [
            { SourceType: 'KeyVault', KeyVaultUrl: 'https://vault.example', KeyVaultCertificateName: 'c' },
            { SourceType: 'ClientSecret', ClientSecret: SECRET },
          ],
        }),
      );
      expect(options.azureAd.clientCredentials).toEqual([
        { sourceType: 'ClientSecret', clientSecret: SECRET },
      ]);
      expect(warnings).toEqual([
        expect.stringMatching(/^AzureAd:ClientCredentials:0:SourceType is not supported/),
      ]);
    });

    it('skips a certificate whose file is missing when another credential follows, with a warning', () => {
      const { options, warnings } = normalize(
        withAzureAd({
          ClientCredentials: [
            { SourceType: 'Path', CertificateDiskPath: '/nope/cert.pem' },
            { SourceType: 'ClientSecret', ClientSecret: SECRET },
          ],
        }),
      );
      expect(options.azureAd.clientCredentials).toEqual([
        { sourceType: 'ClientSecret', clientSecret: SECRET },
      ]);
      expect(warnings).toEqual([
        expect.stringMatching(
          /^AzureAd:ClientCredentials:0:CertificateDiskPath names a file that does not exist/,
        ),
      ]);
    });

    it('reads downstream APIs: scopes as a string, methods in any casing, booleans and maps from strings', () => {
      const input = {
        ...base(),
        DownstreamApi: { BaseUrl: 'https://graph.microsoft.com/v1.0', Scopes: 'user.read mail.read' },
        DownstreamApis: {
          TodoList: {
            BaseUrl: 'https://localhost:5001',
            RelativePath: 'api/todolist',
            Scopes: ['api://todo/access_as_user'],
            HttpMethod: 'Get',
            RequestAppToken: 'false',
            QueryParameters: { top: 5 },
            Headers: { 'X-Trace': 'on' },
            AcquireTokenOptions: { Tenant: 'fabrikam.com', ForceRefresh: 'TRUE' },
          },
        },
      };
      const { options } = normalize(input);
      expect(options.downstreamApis).toEqual({
        DownstreamApi: { baseUrl: 'https://graph.microsoft.com/v1.0', scopes: ['user.read', 'mail.read'] },
        TodoList: {
          baseUrl: 'https://localhost:5001',
          relativePath: 'api/todolist',
          scopes: ['api://todo/access_as_user'],
          httpMethod: 'GET',
          requestAppToken: false,
          queryParameters: { top: '5' },
          headers: { 'X-Trace': 'on' },
          acquireTokenOptions: { tenant: 'fabrikam.com', forceRefresh: true },
        },
      });
    });

    it('reads library settings from the top level and lets the IdentityWeb section win', () => {
      const secret = 'x'.repeat(32);
      const { options } = normalize({
        ...base(),
        accountRoutesPrefix: '/auth/',
        requireSignIn: true,
        IdentityWeb: {
          RequireSignIn: 'false',
          Session: { Secret: secret, SameSite: 'Strict', Secure: 'true' },
        },
      });
      expect(options.accountRoutesPrefix).toBe('/auth');
      expect(options.requireSignIn).toBe(false);
      expect(options.session).toEqual({
        secret,
        cookieName: 'iw.sid',
        secure: true,
        maxAgeMs: 8 * 60 * 60 * 1000,
        sameSite: 'strict',
      });
    });

    it('reads SignOutMethods in any casing, and refuses methods other than GET and POST', () => {
      expect(normalize({ ...base(), signOutMethods: ['post'] }).options.signOutMethods).toEqual(['POST']);
      expect(
        normalize({ ...base(), IdentityWeb: { SignOutMethods: 'GET POST' } }).options.signOutMethods,
      ).toEqual(['GET', 'POST']);
      expect(problems({ ...base(), IdentityWeb: { SignOutMethods: ['DELETE'] } })).toEqual([
        expect.stringMatching(/^IdentityWeb:SignOutMethods must list GET and\/or POST/),
      ]);
    });

    it('keeps stores as given and freezes the rest', () => {
      class Store {
        entries = new Map<string, string>();
      }
      const store = new Store();
      const { options } = normalize({ ...base(), tokenCache: { store, hotIndexSize: 10 } });
      expect(options.tokenCache.store).toBe(store);
      expect(Object.isFrozen(options.azureAd)).toBe(true);
      expect(Object.isFrozen(options.azureAd.clientCredentials)).toBe(true);
      expect(Object.isFrozen(store)).toBe(false);
    });

    it('does not modify its input', () => {
      const input = base();
      const copy = JSON.parse(JSON.stringify(input)) as unknown;
      normalize(input, { AzureAd__ClientId: 'other' });
      expect(input).toEqual(copy);
    });
  });

  describe('environment overrides', () => {
    it('win over the input, case-insensitively', () => {
      const { options } = normalize(
        {
          ...base(),
          DownstreamApis: { TodoList: { BaseUrl: 'https://localhost:5001', Scopes: ['a', 'b'] } },
        },
        {
          azuread__tenantid: 'fabrikam.onmicrosoft.com',
          DownstreamApis__TodoList__Scopes__0: 'api://todo/override',
          IDENTITYWEB__ACCOUNTROUTESPREFIX: '/me',
        },
      );
      expect(options.azureAd.tenantId).toBe('fabrikam.onmicrosoft.com');
      expect(options.downstreamApis.TodoList?.scopes).toEqual(['api://todo/override', 'b']);
      expect(options.accountRoutesPrefix).toBe('/me');
    });

    it('are not applied again to an already-resolved tree (normalizeResolvedTree), which stays unchanged', () => {
      const tree = freezeTree(base());
      const options = normalizeResolvedTree(
        tree,
        { AzureAd__TenantId: 'fabrikam.onmicrosoft.com' },
        { warn: () => {} },
      );
      expect(options.azureAd.tenantId).toBe('contoso.onmicrosoft.com');
      expect(options.azureAd.clientCredentials[0]?.clientSecret).toBe(SECRET);
      expect(tree).toEqual(base());
    });

    it('can supply what the file leaves out (secrets kept out of source control)', () => {
      const { options } = normalize(withAzureAd({ ClientCredentials: [{ SourceType: 'ClientSecret' }] }), {
        AzureAd__ClientCredentials__0__ClientSecret: 'from-env',
      });
      expect(options.azureAd.clientCredentials[0]?.clientSecret).toBe('from-env');
    });
  });

  describe('validation', () => {
    it('reports every missing required key on its own line, at once', () => {
      expect(problems({ AzureAd: {} })).toEqual([
        'AzureAd:ClientId is required: the application (client) ID of the app registration (a GUID).',
        expect.stringMatching(
          /^AzureAd:TenantId is required \(or give AzureAd:Authority\): the directory \(tenant\) ID/,
        ),
        expect.stringMatching(
          /^AzureAd:ClientCredentials is required: a web app that calls APIs needs at least one/,
        ),
      ]);
    });

    it('requires the AzureAd section', () => {
      expect(problems({ DownstreamApis: {} })).toEqual([
        expect.stringMatching(/^AzureAd is required: the app registration section/),
      ]);
    });

    it('refuses input that is not an object', () => {
      expect(problems(undefined)).toEqual([expect.stringMatching(/^\(root\) must be an object/)]);
    });

    it.each([
      [
        'ClientId',
        withAzureAd({ ClientId: undefined }),
        /^AzureAd:ClientId is required: the application \(client\) ID/,
      ],
      ['TenantId', withAzureAd({ TenantId: undefined }), /^AzureAd:TenantId is required/],
      [
        'ClientCredentials',
        withAzureAd({ ClientCredentials: undefined }),
        /^AzureAd:ClientCredentials is required/,
      ],
      [
        'empty ClientCredentials',
        withAzureAd({ ClientCredentials: [] }),
        /^AzureAd:ClientCredentials is required/,
      ],
      [
        'SourceType',
        withAzureAd({ ClientCredentials: [{ ClientSecret: SECRET }] }),
        /^AzureAd:ClientCredentials:0:SourceType is required: the kind of credential/,
      ],
      [
        'ClientSecret',
        withAzureAd({ ClientCredentials: [{ SourceType: 'ClientSecret' }] }),
        /^AzureAd:ClientCredentials:0:ClientSecret is required: the client secret of the app registration \(SourceType is ClientSecret\)/,
      ],
      [
        'CertificateDiskPath',
        withAzureAd({ ClientCredentials: [{ SourceType: 'Path' }] }),
        /^AzureAd:ClientCredentials:0:CertificateDiskPath is required/,
      ],
      [
        'Base64EncodedValue',
        withAzureAd({ ClientCredentials: [{ SourceType: 'Base64Encoded' }] }),
        /^AzureAd:ClientCredentials:0:Base64EncodedValue is required/,
      ],
      [
        'SignedAssertionFileDiskPath',
        withAzureAd({ ClientCredentials: [{ SourceType: 'SignedAssertionFilePath' }] }),
        /^AzureAd:ClientCredentials:0:SignedAssertionFileDiskPath is required/,
      ],
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
      ['no session at all', base(), 'IdentityWeb:Session:Secret'],
      [
        'a session section without secret',
        { ...base(), IdentityWeb: { Session: { CookieName: 'x' } } },
        'IdentityWeb:Session:Secret',
      ],
      ['a camelCase session without secret', { ...base(), session: { cookieName: 'x' } }, 'Session:Secret'],
    ])('in production, %s is refused', (_name, input, path) => {
      expect(problems(input, { NODE_ENV: 'production' })).toEqual([
        `${path} is required: a random string of at least 32 characters that signs the session cookie; ` +
          'set it through the environment variable IdentityWeb__Session__Secret or in code as session.secret.',
      ]);
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
        'unknown SourceType',
        withAzureAd({ ClientCredentials: [{ SourceType: 'Magic' }] }),
        /^AzureAd:ClientCredentials:0:SourceType must be one of ClientSecret, Path, Base64Encoded, SignedAssertionFilePath \(got "Magic"\)/,
      ],
      [
        'credential not an object',
        withAzureAd({ ClientCredentials: ['secret'] }),
        /^AzureAd:ClientCredentials:0 must be a credential/,
      ],
      [
        'ClientCredentials not an array',
        withAzureAd({ ClientCredentials: 'secret' }),
        /^AzureAd:ClientCredentials must be an array/,
      ],
      [
        'only unsupported credentials',
        withAzureAd({ ClientCredentials: [{ SourceType: 'KeyVault' }] }),
        /^AzureAd:ClientCredentials has no credential nest-identity-web can use/,
      ],
      [
        'certificate file missing',
        withAzureAd({ ClientCredentials: [{ SourceType: 'Path', CertificateDiskPath: '/nope/cert.pem' }] }),
        /^AzureAd:ClientCredentials has no credential nest-identity-web can use: AzureAd:ClientCredentials:0:CertificateDiskPath names a file that does not exist/,
      ],
      [
        'Base64EncodedValue not base64',
        withAzureAd({
          ClientCredentials: [{ SourceType: 'Base64Encoded', Base64EncodedValue: 'not base64!' }],
        }),
        /^AzureAd:ClientCredentials:0:Base64EncodedValue must be base64-encoded\.$/,
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

    it.each([
      [
        'BaseUrl relative',
        { BaseUrl: 'api/x' },
        /^DownstreamApis:TodoList:BaseUrl must be an absolute http\(s\) URL/,
      ],
      [
        'BaseUrl javascript',
        { BaseUrl: 'javascript:alert(1)' },
        /^DownstreamApis:TodoList:BaseUrl must be an absolute http\(s\) URL/,
      ],
      [
        'Scopes not strings',
        { Scopes: ['a', 3] },
        /^DownstreamApis:TodoList:Scopes:1 must be a non-empty string \(got 3\)/,
      ],
      [
        'Scopes an object',
        { Scopes: { a: 1 } },
        /^DownstreamApis:TodoList:Scopes must be an array of strings/,
      ],
      [
        'HttpMethod unknown',
        { HttpMethod: 'FETCH' },
        /^DownstreamApis:TodoList:HttpMethod must be one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS/,
      ],
      [
        'RequestAppToken',
        { RequestAppToken: 'yes' },
        /^DownstreamApis:TodoList:RequestAppToken must be true or false/,
      ],
      ['Headers', { Headers: { a: { b: 1 } } }, /^DownstreamApis:TodoList:Headers:a must be a string/],
    ])('downstream API: %s is refused', (_name, api, message) => {
      expect(problems({ ...base(), DownstreamApis: { TodoList: api } })).toEqual([
        expect.stringMatching(message),
      ]);
    });

    it('refuses a downstream API that is not a section', () => {
      expect(problems({ ...base(), DownstreamApis: { TodoList: 'https://x' } })).toEqual([
        expect.stringMatching(/^DownstreamApis:TodoList must be a section/),
      ]);
    });

    it.each([
      [
        'short secret',
        { Secret: 'short' },
        /^Session:Secret must be a string \(or an array of strings\) of at least 32 characters\.$/,
      ],
      ['short secret in a list', { Secret: ['x'.repeat(32), 'short'] }, /^Session:Secret must be/],
      [
        'SameSite none without Secure',
        { Secret: 'x'.repeat(32), SameSite: 'none', Secure: false },
        /^Session:SameSite none requires Secure/,
      ],
      [
        'MaxAgeMs zero',
        { Secret: 'x'.repeat(32), MaxAgeMs: 0 },
        /^Session:MaxAgeMs must be a number of at least 1/,
      ],
    ])('session: %s is refused', (_name, session, message) => {
      expect(problems({ ...base(), session })).toContainEqual(expect.stringMatching(message));
    });

    it('refuses a bad account routes prefix', () => {
      expect(problems({ ...base(), accountRoutesPrefix: 'account' })).toEqual([
        expect.stringMatching(/^AccountRoutesPrefix must be a path/),
      ]);
    });

    it('never puts a secret in a message', () => {
      const lines = problems(
        withAzureAd({
          ClientId: undefined,
          ClientCredentials: [{ SourceType: 'ClientSecret', ClientSecret: 42 }],
        }),
      );
      expect(lines).toContainEqual('AzureAd:ClientCredentials:0:ClientSecret must be a non-empty string.');
      const session = problems({ ...base(), session: { secret: 'short-but-secret' } });
      expect(session.join('\n')).not.toContain('short-but-secret');
    });

    it('exposes the problems and the first path on the error', () => {
      let error: OptionsValidationError | undefined;
      try {
        normalize({ AzureAd: { TenantId: 'common' } });
      } catch (err) {
        error = err as OptionsValidationError;
      }
      expect(error?.path).toBe('AzureAd:ClientId');
      expect(error?.problems.map((p) => p.path)).toEqual(['AzureAd:ClientId', 'AzureAd:ClientCredentials']);
    });
  });

  describe('session secret outside production', () => {
    it('is generated at random, with a warning', () => {
      const warnings: string[] = [];
      const first = normalizeOptions(
        base() as IdentityWebModuleInput,
        {},
        { warn: (m: string) => warnings.push(m) },
      );
      const second = normalizeOptions(base() as IdentityWebModuleInput, {}, { warn: () => undefined });
      expect(typeof first.session.secret).toBe('string');
      expect((first.session.secret as string).length).toBeGreaterThanOrEqual(32);
      expect(first.session.secret).not.toBe(second.session.secret);
      expect(warnings).toEqual([
        expect.stringMatching(
          /^IdentityWeb:Session:Secret is not set: using a random secret generated at start-up/,
        ),
      ]);
    });

    it('comes from the environment when set there', () => {
      const secret = 's'.repeat(40);
      const { options } = normalize(base(), { IdentityWeb__Session__Secret: secret, NODE_ENV: 'production' });
      expect(options.session.secret).toBe(secret);
    });
  });

  describe('session store', () => {
    const secret = 's'.repeat(40);

    it('warns in production when sessions would live in the default MemoryStore', () => {
      const { warnings } = normalize(base(), {
        IdentityWeb__Session__Secret: secret,
        NODE_ENV: 'production',
      });
      expect(warnings).toEqual([
        expect.stringMatching(
          /^IdentityWeb:Session:Store is not set: sessions live in express-session's MemoryStore/,
        ),
      ]);
    });

    it('does not warn with a store, or outside production', () => {
      const store = { get() {}, set() {}, destroy() {} };
      const env = { IdentityWeb__Session__Secret: secret, NODE_ENV: 'production' };
      expect(normalize({ ...base(), session: { secret, store } }, env).warnings).toEqual([]);
      expect(normalize(base(), { IdentityWeb__Session__Secret: secret }).warnings).toEqual([]);
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
        withAzureAd({ SaveTokens: true }),
        /^AzureAd:SaveTokens is not read by nest-identity-web; it is ignored\./,
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
        /^AzureAd:Authority is given with Instance\/TenantId/,
      ],
      [
        'an http downstream API outside localhost',
        { ...base(), DownstreamApis: { A: { BaseUrl: 'http://api.example' } } },
        /^DownstreamApis:A:BaseUrl uses plain http outside localhost/,
      ],
      [
        'an unknown downstream API key',
        { ...base(), DownstreamApis: { A: { ProtocolScheme: 'Bearer' } } },
        /^DownstreamApis:A:ProtocolScheme is not read/,
      ],
      [
        'app-token scopes without /.default',
        { ...base(), DownstreamApis: { A: { RequestAppToken: true, Scopes: ['user.read'] } } },
        /^DownstreamApis:A:Scopes should be '<resource>\/.default'/,
      ],
      [
        'an insecure session cookie',
        { ...base(), session: { secret: 'x'.repeat(32), secure: false } },
        /^Session:Secure is false/,
      ],
    ])('warns about %s', (_name, input, message) => {
      expect(normalize(input).warnings).toEqual([expect.stringMatching(message)]);
    });

    it('does not warn about an http redirect URI on localhost', () => {
      expect(normalize(withAzureAd({ RedirectUri: 'http://localhost:3000/signin-oidc' })).warnings).toEqual(
        [],
      );
    });

    it('takes the callback path from the redirect URI when no CallbackPath is given', () => {
      expect(
        normalize(withAzureAd({ RedirectUri: 'https://app.example/auth/callback' })).options.azureAd
          .callbackPath,
      ).toBe('/auth/callback');
    });
  });
});
