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

  describe('validation', () => {
    it.each([
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
