import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import type { NodeAuthOptions } from '@azure/msal-node';
import { InvalidConfigurationError } from '../errors';
import type { CredentialDescription } from '../options/identity-web.options';

/** The credential fields of MSAL's `auth` options. */
export type MsalCredential = Pick<NodeAuthOptions, 'clientSecret' | 'clientCertificate' | 'clientAssertion'>;

const CERTIFICATE_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;
const KEY_BLOCK = /-----BEGIN ((?:ENCRYPTED |RSA |EC )?PRIVATE KEY)-----[\s\S]+?-----END \1-----/;

/**
 * Turns the first entry of `AzureAd:ClientCredentials` into MSAL credential options, once at
 * start-up: a client secret as is; a certificate (PEM with the private key, from a file or a
 * base64 value) as a SHA-256 thumbprint, a PKCS #8 private key and, with `sendX5c`, the chain;
 * a signed assertion file as a callback that re-reads the file when it changes (workload
 * identity federation rotates it). PFX files are refused with the command that converts them.
 *
 * @example
 * ```ts
 * const credential = createMsalCredential(options.azureAd.clientCredentials);
 * new ConfidentialClientApplication({ auth: { clientId, authority, ...credential } });
 * ```
 */
export function createMsalCredential(credentials: readonly CredentialDescription[]): MsalCredential {
  if (!credentials?.length) {
    throw new InvalidConfigurationError(
      'AzureAd:ClientCredentials',
      'is required: at least one credential (ClientSecret, a certificate or a signed assertion file) to redeem codes and refresh tokens.',
    );
  }
  const credential = credentials[0];
  const path = 'AzureAd:ClientCredentials:0';
  switch (credential.sourceType) {
    case 'ClientSecret':
      if (!credential.clientSecret) {
        throw new InvalidConfigurationError(
          `${path}:ClientSecret`,
          'is required for SourceType ClientSecret.',
        );
      }
      return { clientSecret: credential.clientSecret };
    case 'Path': {
      if (!credential.certificateDiskPath) {
        throw new InvalidConfigurationError(
          `${path}:CertificateDiskPath`,
          'is required for SourceType Path.',
        );
      }
      let content: Buffer;
      try {
        content = readFileSync(credential.certificateDiskPath);
      } catch (error) {
        throw new InvalidConfigurationError(
          `${path}:CertificateDiskPath`,
          `could not be read: ${(error as Error).message}`,
        );
      }
      return { clientCertificate: certificateFrom(content, credential, `${path}:CertificateDiskPath`) };
    }
    case 'Base64Encoded': {
      if (!credential.base64EncodedValue) {
        throw new InvalidConfigurationError(
          `${path}:Base64EncodedValue`,
          'is required for SourceType Base64Encoded.',
        );
      }
      const content = Buffer.from(credential.base64EncodedValue, 'base64');
      return { clientCertificate: certificateFrom(content, credential, `${path}:Base64EncodedValue`) };
    }
    case 'SignedAssertionFilePath': {
      const file = credential.signedAssertionFileDiskPath;
      if (!file) {
        throw new InvalidConfigurationError(
          `${path}:SignedAssertionFileDiskPath`,
          'is required for SourceType SignedAssertionFilePath.',
        );
      }
      try {
        statSync(file);
      } catch (error) {
        throw new InvalidConfigurationError(
          `${path}:SignedAssertionFileDiskPath`,
          `could not be read: ${(error as Error).message}`,
        );
      }
      return { clientAssertion: signedAssertionReader(file) };
    }
    default:
      throw new InvalidConfigurationError(
        `${path}:SourceType`,
        `must be ClientSecret, Path, Base64Encoded or SignedAssertionFilePath (got ${String(credential.sourceType)}).`,
      );
  }
}

function certificateFrom(
  content: Buffer,
  credential: CredentialDescription,
  path: string,
): NonNullable<MsalCredential['clientCertificate']> {
  const text = content.toString('utf8');
  if (!text.includes('-----BEGIN')) {
    throw new InvalidConfigurationError(
      path,
      'holds a PFX (PKCS #12) file, which is not supported: convert it to PEM with ' +
        '`openssl pkcs12 -in app.pfx -out app.pem -nodes` (certificate and private key in one file).',
    );
  }
  const certificates = text.match(CERTIFICATE_BLOCK);
  const key = text.match(KEY_BLOCK);
  if (!certificates || !key) {
    throw new InvalidConfigurationError(
      path,
      'must be a PEM bundle holding the certificate and its private key (-----BEGIN CERTIFICATE----- and -----BEGIN PRIVATE KEY-----).',
    );
  }
  let privateKey: string;
  let thumbprintSha256: string;
  try {
    privateKey = createPrivateKey({ key: key[0], passphrase: credential.certificatePassword })
      .export({ type: 'pkcs8', format: 'pem' })
      .toString();
    thumbprintSha256 = new X509Certificate(certificates[0]).fingerprint256.replace(/:/g, '').toLowerCase();
  } catch (error) {
    throw new InvalidConfigurationError(
      path,
      `could not be parsed (wrong CertificatePassword?): ${(error as Error).message}`,
    );
  }
  return {
    thumbprintSha256,
    privateKey,
    ...(credential.sendX5c ? { x5c: certificates.join('\n') } : {}),
  };
}

/** A client assertion callback reading `file`, re-read only when its modification time changes. */
export function signedAssertionReader(file: string): () => Promise<string> {
  let cached: { mtimeMs: number; size: number; assertion: string } | undefined;
  return async () => {
    const info = await stat(file);
    if (!cached || cached.mtimeMs !== info.mtimeMs || cached.size !== info.size) {
      const assertion = (await readFile(file, 'utf8')).trim();
      cached = { mtimeMs: info.mtimeMs, size: info.size, assertion };
    }
    return cached.assertion;
  };
}
