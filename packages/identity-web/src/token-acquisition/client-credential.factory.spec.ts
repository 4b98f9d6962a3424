import { mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidConfigurationError } from '../errors';
import { createMsalCredential, signedAssertionReader } from './client-credential.factory';

const fixtures = join(__dirname, '../../test/token-acquisition/fixtures');
const THUMBPRINT = 'ab7f39e05d2663f6408df67149217f479e5855b4ecce9c2c0edba3b765060446';

describe('createMsalCredential', () => {
  it('passes a client secret through', () => {
    expect(createMsalCredential([{ sourceType: 'ClientSecret', clientSecret: 's3cret' }])).toEqual({
      clientSecret: 's3cret',
    });
  });

  it('reads a PEM certificate from a path: SHA-256 thumbprint and PKCS #8 key', () => {
    const { clientCertificate } = createMsalCredential([
      { sourceType: 'Path', certificateDiskPath: join(fixtures, 'app-cert.pem') },
    ]);
    expect(clientCertificate?.thumbprintSha256).toBe(THUMBPRINT);
    expect(clientCertificate?.privateKey).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(clientCertificate?.x5c).toBeUndefined();
  });

  it('reads a base64-encoded PEM with an encrypted key, and sends x5c when asked', () => {
    const value = readFileSync(join(fixtures, 'app-cert-encrypted.pem')).toString('base64');
    const { clientCertificate } = createMsalCredential([
      {
        sourceType: 'Base64Encoded',
        base64EncodedValue: value,
        certificatePassword: 'secret-pass',
        sendX5c: true,
      },
    ]);
    expect(clientCertificate?.thumbprintSha256).toBe(THUMBPRINT);
    expect(clientCertificate?.privateKey).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(clientCertificate?.x5c).toMatch(/^-----BEGIN CERTIFICATE-----/);
  });

  it('refuses a wrong certificate password naming the key path', () => {
    const value = readFileSync(join(fixtures, 'app-cert-encrypted.pem')).toString('base64');
    expect(() =>
      createMsalCredential([
        { sourceType: 'Base64Encoded', base64EncodedValue: value, certificatePassword: 'nope' },
      ]),
    ).toThrow(/AzureAd:ClientCredentials:0:Base64EncodedValue holds a private key that could not be read/);
  });

  it('reads a password-protected PFX from a path: the same thumbprint and key as the PEM, chain with x5c', () => {
    const pem = createMsalCredential([
      { sourceType: 'Path', certificateDiskPath: join(fixtures, 'app-cert.pem') },
    ]).clientCertificate;
    const { clientCertificate } = createMsalCredential([
      {
        sourceType: 'Path',
        certificateDiskPath: join(fixtures, 'app-cert.pfx'),
        certificatePassword: 'secret-pass',
        sendX5c: true,
      },
    ]);
    expect(clientCertificate?.thumbprintSha256).toBe(THUMBPRINT);
    expect(clientCertificate?.privateKey).toBe(pem?.privateKey);
    expect(clientCertificate?.x5c).toMatch(/^-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----$/);
  });

  it('reads a base64-encoded PFX without a password', () => {
    const value = readFileSync(join(fixtures, 'app-cert-nopass.pfx')).toString('base64');
    const { clientCertificate } = createMsalCredential([
      { sourceType: 'Base64Encoded', base64EncodedValue: value },
    ]);
    expect(clientCertificate?.thumbprintSha256).toBe(THUMBPRINT);
    expect(clientCertificate?.privateKey).toMatch(/^-----BEGIN PRIVATE KEY-----/);
  });

  it('refuses a PFX with a wrong password naming the key path, never the password', () => {
    let error: unknown;
    try {
      createMsalCredential([
        {
          sourceType: 'Path',
          certificateDiskPath: join(fixtures, 'app-cert.pfx'),
          certificatePassword: 'not-the-pass',
        },
      ]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidConfigurationError);
    expect((error as Error).message).toMatch(/AzureAd:ClientCredentials:0:CertificateDiskPath .*PFX/);
    expect((error as Error).message).not.toContain('not-the-pass');
  });

  it('uses the first usable credential: a missing certificate file is skipped with a warning', () => {
    const warnings: string[] = [];
    const credential = createMsalCredential(
      [
        { sourceType: 'Path', certificateDiskPath: '/no/such.pfx', certificatePassword: 'pfx-pass' },
        { sourceType: 'ClientSecret', clientSecret: 'the-secret' },
        { sourceType: 'ClientSecret', clientSecret: 'not-this-one' },
      ],
      (message) => warnings.push(message),
    );
    expect(credential).toEqual({ clientSecret: 'the-secret' });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('AzureAd:ClientCredentials:0:CertificateDiskPath could not be read');
    expect(warnings.join()).not.toMatch(/pfx-pass|the-secret/);
  });

  it('fails naming AzureAd:ClientCredentials when no credential is usable, without secrets', () => {
    const warnings: string[] = [];
    let error: unknown;
    try {
      createMsalCredential(
        [
          { sourceType: 'Path', certificateDiskPath: '/no/such.pem' },
          {
            sourceType: 'Path',
            certificateDiskPath: join(fixtures, 'app-cert.pfx'),
            certificatePassword: 'wrong-pass',
          },
        ],
        (message) => warnings.push(message),
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidConfigurationError);
    expect((error as InvalidConfigurationError).path).toBe('AzureAd:ClientCredentials');
    expect((error as Error).message).toContain('AzureAd:ClientCredentials:0:CertificateDiskPath');
    expect((error as Error).message).toContain('AzureAd:ClientCredentials:1:CertificateDiskPath');
    expect((error as Error).message).not.toContain('wrong-pass');
    expect(warnings).toHaveLength(2);
  });

  it.each([
    [[], 'AzureAd:ClientCredentials is required'],
    [[{ sourceType: 'ClientSecret' as const }], 'AzureAd:ClientCredentials:0:ClientSecret is required'],
    [
      [{ sourceType: 'Path' as const, certificateDiskPath: '/no/such.pem' }],
      'CertificateDiskPath could not be read',
    ],
    [[{ sourceType: 'SignedAssertionFilePath' as const }], 'SignedAssertionFileDiskPath is required'],
  ])('fails naming the key path: %j', (credentials, message) => {
    let error: unknown;
    try {
      createMsalCredential(credentials);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidConfigurationError);
    expect((error as Error).message).toContain(message);
  });
});

describe('signedAssertionReader', () => {
  it('re-reads the assertion file only when it changes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'assertion-'));
    const file = join(dir, 'token');
    writeFileSync(file, 'assertion-one\n');
    const read = signedAssertionReader(file);
    expect(await read()).toBe('assertion-one');
    writeFileSync(file, 'assertion-two');
    utimesSync(file, new Date(), new Date(Date.now() + 5_000));
    expect(await read()).toBe('assertion-two');
    expect(
      createMsalCredential([{ sourceType: 'SignedAssertionFilePath', signedAssertionFileDiskPath: file }]),
    ).toHaveProperty('clientAssertion');
  });
});
