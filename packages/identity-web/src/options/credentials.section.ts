/**
 * `AzureAd:ClientCredentials`: how the app proves its identity to Entra ID. The legacy
 * Microsoft.Identity.Web keys `ClientSecret`, `ClientCertificates` and `SendX5C` are folded in.
 */
import { existsSync } from 'node:fs';
import { isPlainObject } from './configuration-tree';
import { got } from './got';
import { array, boolean, custom, string } from './option-kinds';
import type { InputOf } from './option-types';
import { SectionReader } from './section-reader';

const SOURCE_TYPES = ['ClientSecret', 'Path', 'Base64Encoded', 'SignedAssertionFilePath'] as const;

/**
 * How the app proves its identity to Entra ID when it redeems codes and refreshes tokens.
 *
 * @example
 * ```ts
 * const sourceType: CredentialSourceType = 'ClientSecret';
 * ```
 */
export type CredentialSourceType = (typeof SOURCE_TYPES)[number];

/** Microsoft.Identity.Web source types this library does not load (yet): skipped with a warning. */
const OTHER_KNOWN_SOURCE_TYPES = [
  'KeyVault',
  'StoreWithThumbprint',
  'StoreWithDistinguishedName',
  'SignedAssertionFromManagedIdentity',
  'SignedAssertionFromVault',
  'AutoDecryptKeys',
  'CustomSignedAssertion',
];

/** `SourceType`: a supported source type in its canonical spelling. */
function readSourceType(entry: SectionReader, key: string): CredentialSourceType | undefined {
  const text = entry.string(key);
  if (text === undefined) return undefined;
  const sourceType = SOURCE_TYPES.find((t) => t.toLowerCase() === text.toLowerCase());
  if (!sourceType)
    entry.report.error(entry.pathOf(key), `must be one of ${SOURCE_TYPES.join(', ')}${got(text)}.`);
  return sourceType;
}

/** One entry of `AzureAd:ClientCredentials`. */
const CREDENTIAL = {
  /** Which kind of credential this is; decides which of the other keys it needs. */
  sourceType: custom(readSourceType).required(`the kind of credential: one of ${SOURCE_TYPES.join(', ')}.`),
  /** For `ClientSecret`. */
  clientSecret: string({ secret: true }),
  /** For `Path`: a PEM (certificate + private key) or PFX file. */
  certificateDiskPath: string({ secret: true }),
  /** For `Base64Encoded`: a PFX or PEM bundle, base64-encoded. */
  base64EncodedValue: string({
    secret: true,
    rule: (value, at) => {
      if (/^[A-Za-z0-9+/\s]+={0,2}\s*$/.test(value)) return value;
      at.section.report.error(at.path, 'must be base64-encoded.');
      return undefined;
    },
  }),
  /** Password of a PFX file or of an encrypted PEM private key. */
  certificatePassword: string({ secret: true, allowEmpty: true }),
  /** For `SignedAssertionFilePath`: a file holding a client assertion (a JWT), re-read when it changes. */
  signedAssertionFileDiskPath: string({ secret: true }),
  /** Send the certificate chain (`x5c`) so subject-name/issuer authentication works. */
  sendX5c: boolean({ key: 'SendX5C' }),
};

/**
 * One entry of `AzureAd:ClientCredentials`; the first usable one is used.
 *
 * @example
 * ```ts
 * const credential: CredentialDescription = { sourceType: 'ClientSecret', clientSecret: process.env.CLIENT_SECRET };
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- an interface, so editors show its name
export interface CredentialDescription extends InputOf<typeof CREDENTIAL> {}

/** The `AzureAd` keys that hold credentials, legacy ones included. */
export const AZURE_AD_CREDENTIALS = {
  /** How the app proves its identity to Entra ID; the first usable credential is used. */
  clientCredentials: array<CredentialDescription>(CREDENTIAL).derived(),
  /** Legacy single secret, as `AzureAd:ClientSecret` in older appsettings. */
  clientSecret: string({ secret: true }).foldedInto('clientCredentials'),
  /** Legacy certificate list, as `AzureAd:ClientCertificates`. */
  clientCertificates: array<CredentialDescription>(CREDENTIAL).foldedInto('clientCredentials'),
  /** Applies `sendX5c` to every certificate credential, as `AzureAd:SendX5C`. */
  sendX5c: boolean({ key: 'SendX5C' }).foldedInto('clientCredentials'),
};

type Outcome = CredentialDescription | 'unsupported' | { skipped: string } | undefined;

/** Reads one credential entry; `undefined` when unusable (the problem is reported). */
function readCredential(entry: SectionReader, sendX5c: boolean | undefined): Outcome {
  const typeText = entry.raw('SourceType');
  if (
    typeof typeText === 'string' &&
    OTHER_KNOWN_SOURCE_TYPES.some((t) => t.toLowerCase() === typeText.toLowerCase())
  )
    return 'unsupported';
  const sourceType = CREDENTIAL.sourceType.read(entry, 'sourceType');
  if (sourceType === undefined) return undefined;
  const entrySendX5c = CREDENTIAL.sendX5c.read(entry, 'sendX5c') ?? sendX5c;
  const needs = (property: 'clientSecret' | 'certificateDiskPath' | 'base64EncodedValue', what: string) =>
    CREDENTIAL[property].required(`${what} (SourceType is ${sourceType}).`).read(entry, property);
  if (sourceType === 'ClientSecret') {
    const clientSecret = needs('clientSecret', 'the client secret of the app registration');
    return clientSecret === undefined ? undefined : { sourceType, clientSecret };
  }
  if (sourceType === 'SignedAssertionFilePath') return readSignedAssertion(entry);
  const credential: CredentialDescription = { sourceType };
  const password = CREDENTIAL.certificatePassword.read(entry, 'certificatePassword');
  if (password !== undefined) credential.certificatePassword = password;
  if (entrySendX5c !== undefined) credential.sendX5c = entrySendX5c;
  if (sourceType === 'Base64Encoded') {
    credential.base64EncodedValue = needs(
      'base64EncodedValue',
      'the certificate (PFX or PEM), base64-encoded',
    );
    return credential.base64EncodedValue === undefined ? undefined : credential;
  }
  const path = needs('certificateDiskPath', 'the path of a PEM (certificate and key) or PFX file');
  if (path === undefined) return undefined;
  if (!existsSync(path)) {
    // Skipped like Microsoft.Identity.Web does, so a later credential can serve; an error only
    // when no usable credential is left (see readCredentials).
    const problem = `names a file that does not exist${got(path)}`;
    entry.report.warn(entry.pathOf('CertificateDiskPath'), `${problem}; this credential is skipped.`);
    return { skipped: `${entry.pathOf('CertificateDiskPath')} ${problem}` };
  }
  credential.certificateDiskPath = path;
  return credential;
}

/** A `SignedAssertionFilePath` credential: its file, or the workload identity's `AZURE_FEDERATED_TOKEN_FILE`. */
function readSignedAssertion(entry: SectionReader): CredentialDescription | undefined {
  const what = 'the file holding the client assertion (SourceType is SignedAssertionFilePath)';
  const path = entry.has('SignedAssertionFileDiskPath')
    ? CREDENTIAL.signedAssertionFileDiskPath.required(`${what}.`).read(entry, 'signedAssertionFileDiskPath')
    : entry.env.AZURE_FEDERATED_TOKEN_FILE;
  if (path === undefined) {
    entry.report.error(
      entry.pathOf('SignedAssertionFileDiskPath'),
      `is required: ${what}, or set AZURE_FEDERATED_TOKEN_FILE.`,
    );
    return undefined;
  }
  return { sourceType: 'SignedAssertionFilePath', signedAssertionFileDiskPath: path };
}

/**
 * The usable credentials of `AzureAd`: `ClientCredentials`, then the legacy `ClientCertificates`
 * and `ClientSecret`. Unsupported and missing-file entries are skipped with a warning; having
 * listed credentials but none usable is an error. Having none at all is fine for an app that only
 * signs users in: the module decides whether one is needed (`credentials-needed.ts`).
 */
export function readCredentials(azureAd: SectionReader): CredentialDescription[] {
  const report = azureAd.report;
  const sendX5c = AZURE_AD_CREDENTIALS.sendX5c.read(azureAd, 'sendX5c');
  const credentials: CredentialDescription[] = [];
  const problemsBefore = report.problems.length;
  let unsupported = 0;
  const skipped: string[] = [];
  for (const property of ['clientCredentials', 'clientCertificates'] as const) {
    const key = AZURE_AD_CREDENTIALS[property].keyOf(property);
    (azureAd.array(key) ?? []).forEach((value, i) => {
      const path = `${azureAd.pathOf(key)}:${i}`;
      if (!isPlainObject(value)) {
        report.error(
          path,
          `must be a credential such as { "SourceType": "ClientSecret", "ClientSecret": "..." }.`,
        );
        return;
      }
      const outcome = readCredential(new SectionReader(value, path, report, azureAd.env), sendX5c);
      if (outcome === 'unsupported') {
        unsupported += 1;
        report.warn(
          `${path}:SourceType`,
          `is not supported by nest-identity-web; this credential is skipped (supported: ${SOURCE_TYPES.join(', ')}).`,
        );
      } else if (outcome && 'skipped' in outcome) skipped.push(outcome.skipped);
      else if (outcome) credentials.push(outcome);
    });
  }
  const legacySecret = AZURE_AD_CREDENTIALS.clientSecret.read(azureAd, 'clientSecret');
  if (legacySecret !== undefined)
    credentials.push({ sourceType: 'ClientSecret', clientSecret: legacySecret });
  const listedButUnusable = skipped.length > 0 || unsupported > 0;
  if (credentials.length === 0 && listedButUnusable && report.problems.length === problemsBefore) {
    report.error(
      azureAd.pathOf('ClientCredentials'),
      skipped.length > 0
        ? `has no credential nest-identity-web can use: ${skipped.join('; ')}.`
        : `has no credential nest-identity-web can use: add one with SourceType ${SOURCE_TYPES.join(', ')}.`,
    );
  }
  return credentials;
}
