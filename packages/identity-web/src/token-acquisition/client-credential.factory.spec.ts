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
    ).toThrow(/AzureAd:ClientCredentials:0:Base64EncodedValue could not be parsed/);
  });

  it('refuses a PFX with the command that converts it', () => {
    expect(() =>
      createMsalCredential([{ sourceType: 'Path', certificateDiskPath: join(fixtures, 'app-cert.pfx') }]),
    ).toThrow(/openssl pkcs12/);
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
