import { normalize, problems, SECRET, withAzureAd } from '../../test/support/normalize-options';

describe('AzureAd credentials', () => {
  describe('reading', () => {
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

    it('reads credentials keyed by index, as .NET configuration binds arrays', () => {
      const { options } = normalize(
        withAzureAd({
          ClientCredentials: {
            1: { SourceType: 'SignedAssertionFilePath', SignedAssertionFileDiskPath: '/var/run/token' },
            0: { SourceType: 'ClientSecret', ClientSecret: SECRET },
          },
        }),
      );
      expect(options.azureAd.clientCredentials).toEqual([
        { sourceType: 'ClientSecret', clientSecret: SECRET },
        { sourceType: 'SignedAssertionFilePath', signedAssertionFileDiskPath: '/var/run/token' },
      ]);
    });

    it('applies the legacy AzureAd:SendX5C to certificates from the legacy ClientCertificates', () => {
      const { options } = normalize(
        withAzureAd({
          ClientCredentials: undefined,
          SendX5C: true,
          ClientCertificates: [{ SourceType: 'Base64Encoded', Base64EncodedValue: 'TUlJQ2Rq' }],
        }),
      );
      expect(options.azureAd.clientCredentials).toEqual([
        { sourceType: 'Base64Encoded', base64EncodedValue: 'TUlJQ2Rq', sendX5c: true },
      ]);
    });
  });

  describe('when a credential is needed (regression: a B2C app that only signs users in was refused)', () => {
    it('needs none for an app that only signs users in', () => {
      expect(
        normalize(withAzureAd({ ClientCredentials: undefined })).options.azureAd.clientCredentials,
      ).toEqual([]);
      expect(normalize(withAzureAd({ ClientCredentials: [] })).options.azureAd.clientCredentials).toEqual([]);
    });

    it('needs one for downstream APIs, naming the first one and how many more', () => {
      const input = {
        ...withAzureAd({ ClientCredentials: undefined }),
        DownstreamApis: { GraphAPI: { Scopes: ['User.Read'] }, TodoList: { Scopes: ['x'] } },
      };
      expect(problems(input)).toEqual([
        'AzureAd:ClientCredentials is required: DownstreamApis:GraphAPI (and 1 more) calls an API with tokens ' +
          'the app acquires, and acquiring tokens needs a client credential, e.g. ' +
          '[{ "SourceType": "ClientSecret", "ClientSecret": "..." }]. An app that only signs users in needs none.',
      ]);
    });

    it('needs one for InitialScopes, and names the section the app registration is in', () => {
      const input = {
        AzureAdB2C: {
          ...withAzureAd({ ClientCredentials: undefined }).AzureAd,
          InitialScopes: ['api://x/read'],
        },
        azureAdSection: 'AzureAdB2C',
      };
      expect(problems(input)).toEqual([
        expect.stringMatching(
          /^AzureAdB2C:ClientCredentials is required: AzureAdB2C:InitialScopes asks at sign-in for tokens the app uses later/,
        ),
      ]);
    });

    it('reports listed but unusable credentials once, with their own message', () => {
      const input = {
        ...withAzureAd({ ClientCredentials: [{ SourceType: 'KeyVault', KeyVaultUrl: 'https://v' }] }),
        DownstreamApis: { TodoList: { Scopes: ['x'] } },
      };
      expect(problems(input)).toEqual([
        expect.stringMatching(/^AzureAd:ClientCredentials has no credential nest-identity-web can use/),
      ]);
    });
  });

  describe('validation', () => {
    it.each([
      [
        'ClientCredentials, with a downstream API',
        { ...withAzureAd({ ClientCredentials: undefined }), DownstreamApis: { TodoList: { Scopes: ['x'] } } },
        /^AzureAd:ClientCredentials is required: DownstreamApis:TodoList calls an API with tokens the app acquires/,
      ],
      [
        'empty ClientCredentials, with a downstream API',
        { ...withAzureAd({ ClientCredentials: [] }), DownstreamApis: { TodoList: { Scopes: ['x'] } } },
        /^AzureAd:ClientCredentials is required: DownstreamApis:TodoList calls an API/,
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
    ])('a missing %s gets its own message', (_name, input, message) => {
      expect(problems(input)).toEqual([expect.stringMatching(message)]);
    });

    it.each([
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
    ])('%s is refused, naming the key', (_name, input, message) => {
      expect(problems(input)).toContainEqual(expect.stringMatching(message));
    });
  });
});
