import { readFileSync, statSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import type { NodeAuthOptions } from '@azure/msal-node';
import { Logger } from '@nestjs/common';
import { InvalidConfigurationError } from '../errors';
import type { CredentialDescription } from '../options/credentials.section';
import { CertificateLoadError, loadCertificate } from './certificate.loader';

/** The credential fields of MSAL's `auth` options. */
export type MsalCredential = Pick<NodeAuthOptions, 'clientSecret' | 'clientCertificate' | 'clientAssertion'>;

/** Receives a warning about a credential that was skipped; never given a secret. */
export type CredentialWarning = (message: string) => void;

const CREDENTIALS_PATH = 'AzureAd:ClientCredentials';

/**
 * Turns `AzureAd:ClientCredentials` into MSAL credential options, once at start-up, using the
 * first usable entry in order, as Microsoft.Identity.Web does: an entry that cannot be used (a
 * certificate file missing, a wrong password, an empty secret) is skipped with a warning naming
 * its key path and why, and the next one is tried. A client secret is passed as is; a certificate
 * (PEM bundle or PFX, from a file or a base64 value, with or without a password) becomes a
 * SHA-256 thumbprint, a PKCS #8 private key and, with `sendX5c`, the chain; a signed assertion
 * file becomes a callback that re-reads the file when it changes (workload identity federation
 * rotates it).
 *
 * @throws InvalidConfigurationError naming `AzureAd:ClientCredentials` (or the one entry's key
 * path) when no entry is usable.
 *
 * @example
 * ```ts
 * const credential = createMsalCredential(options.azureAd.clientCredentials);
 * new ConfidentialClientApplication({ auth: { clientId, authority, ...credential } });
 * ```
 */
export function createMsalCredential(
  credentials: readonly CredentialDescription[],
  warn: CredentialWarning = defaultWarning,
): MsalCredential {
  if (!credentials?.length) {
    throw new InvalidConfigurationError(
      CREDENTIALS_PATH,
      'is required: at least one credential (ClientSecret, a certificate or a signed assertion file) to redeem codes and refresh tokens.',
    );
  }
  const refusals: InvalidConfigurationError[] = [];
  for (let i = 0; i < credentials.length; i++) {
    try {
      return credentialFrom(credentials[i], `${CREDENTIALS_PATH}:${i}`);
    } catch (error) {
      if (!(error instanceof InvalidConfigurationError)) throw error;
      refusals.push(error);
      if (credentials.length > 1) warn(`Skipping a client credential: ${error.message}`);
    }
  }
  if (refusals.length === 1) throw refusals[0];
  throw new InvalidConfigurationError(
    CREDENTIALS_PATH,
    `has no usable credential: ${refusals.map((r) => r.message).join('; ')}`,
  );
}

function credentialFrom(credential: CredentialDescription, path: string): MsalCredential {
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
      const keyPath = `${path}:CertificateDiskPath`;
      if (!credential.certificateDiskPath) {
        throw new InvalidConfigurationError(keyPath, 'is required for SourceType Path.');
      }
      let content: Buffer;
      try {
        content = readFileSync(credential.certificateDiskPath);
      } catch (error) {
        throw new InvalidConfigurationError(keyPath, `could not be read: ${(error as Error).message}`);
      }
      return { clientCertificate: certificateFrom(content, credential, keyPath) };
    }
    case 'Base64Encoded': {
      const keyPath = `${path}:Base64EncodedValue`;
      if (!credential.base64EncodedValue) {
        throw new InvalidConfigurationError(keyPath, 'is required for SourceType Base64Encoded.');
      }
      const content = Buffer.from(credential.base64EncodedValue, 'base64');
      return { clientCertificate: certificateFrom(content, credential, keyPath) };
    }
    case 'SignedAssertionFilePath': {
      const file = credential.signedAssertionFileDiskPath;
      const keyPath = `${path}:SignedAssertionFileDiskPath`;
      if (!file) {
        throw new InvalidConfigurationError(keyPath, 'is required for SourceType SignedAssertionFilePath.');
      }
      try {
        statSync(file);
      } catch (error) {
        throw new InvalidConfigurationError(keyPath, `could not be read: ${(error as Error).message}`);
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
  keyPath: string,
): NonNullable<MsalCredential['clientCertificate']> {
  try {
    const certificate = loadCertificate(content, credential.certificatePassword);
    return {
      thumbprintSha256: certificate.thumbprintSha256,
      privateKey: certificate.privateKey,
      ...(credential.sendX5c ? { x5c: certificate.chainPem } : {}),
    };
  } catch (error) {
    if (error instanceof CertificateLoadError) throw new InvalidConfigurationError(keyPath, error.message);
    throw error;
  }
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

const logger = new Logger('IdentityWeb:Credentials');

function defaultWarning(message: string): void {
  logger.warn(message);
}
