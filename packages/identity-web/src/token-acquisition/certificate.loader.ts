import { createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import * as forge from 'node-forge';

/** A certificate credential as MSAL wants it. */
export interface LoadedCertificate {
  /** SHA-256 thumbprint of the certificate, hex, lower-case (MSAL's `thumbprintSha256`). */
  thumbprintSha256: string;
  /** The private key, PKCS #8 PEM. */
  privateKey: string;
  /** The chain as PEM blocks, the certificate matching the key first (MSAL's `x5c`). */
  chainPem: string;
  /** End of the certificate's validity. */
  notAfter: Date;
}

const CERTIFICATE_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;
const KEY_BLOCK = /-----BEGIN ((?:ENCRYPTED |RSA |EC )?PRIVATE KEY)-----[\s\S]+?-----END \1-----/;

/** Why a certificate could not be loaded; the message never holds the password or the key. */
export class CertificateLoadError extends Error {
  override readonly name = 'CertificateLoadError';
}

/**
 * Reads a client certificate and its private key from a PEM bundle (certificate(s) plus a
 * private key, possibly encrypted) or a PFX / PKCS #12 file (with or without a password), and
 * derives what MSAL needs: the SHA-256 thumbprint, the key as PKCS #8 and the chain for `x5c`.
 * The certificate is the one whose public key matches the private key, whatever its position.
 *
 * @throws CertificateLoadError when the content is neither, the password is wrong, or no certificate matches the key.
 *
 * @example
 * ```ts
 * const { thumbprintSha256, privateKey, chainPem } = loadCertificate(readFileSync('app.pfx'), 'pfx-password');
 * ```
 */
export function loadCertificate(content: Buffer, password?: string): LoadedCertificate {
  const { key, certificates } = content.toString('latin1').includes('-----BEGIN')
    ? fromPem(content.toString('utf8'), password)
    : fromPkcs12(content, password);
  const publicKey = createPublicKey(key).export({ type: 'spki', format: 'der' });
  const leaf = certificates.find((c) =>
    c.publicKey.export({ type: 'spki', format: 'der' }).equals(publicKey),
  );
  if (!leaf) {
    throw new CertificateLoadError('holds no certificate matching its private key.');
  }
  const chain = [leaf, ...certificates.filter((c) => c !== leaf)];
  return {
    thumbprintSha256: leaf.fingerprint256.replace(/:/g, '').toLowerCase(),
    privateKey: key.export({ type: 'pkcs8', format: 'pem' }).toString(),
    chainPem: chain.map((c) => c.toString().trim()).join('\n'),
    notAfter: new Date(leaf.validTo),
  };
}

interface KeyAndCertificates {
  key: KeyObject;
  certificates: X509Certificate[];
}

function fromPem(text: string, password: string | undefined): KeyAndCertificates {
  const blocks = text.match(CERTIFICATE_BLOCK);
  const keyBlock = text.match(KEY_BLOCK);
  if (!blocks || !keyBlock) {
    throw new CertificateLoadError(
      'must be a PEM bundle holding the certificate and its private key (-----BEGIN CERTIFICATE----- and -----BEGIN PRIVATE KEY-----) or a PFX file.',
    );
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: keyBlock[0], passphrase: password });
  } catch (error) {
    throw new CertificateLoadError(
      `holds a private key that could not be read (wrong CertificatePassword?): ${reason(error)}`,
    );
  }
  return { key, certificates: blocks.map((b) => parseCertificate(b)) };
}

function fromPkcs12(content: Buffer, password: string | undefined): KeyAndCertificates {
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    const asn1 = forge.asn1.fromDer(forge.util.createBuffer(content.toString('binary')));
    p12 = forge.pkcs12.pkcs12FromAsn1(asn1, true, password ?? '');
  } catch (error) {
    throw new CertificateLoadError(
      `could not be read as a PFX (PKCS #12) file or a PEM bundle (wrong CertificatePassword?): ${reason(error)}`,
    );
  }
  const { oids } = forge.pki;
  const keyBags = [
    ...(p12.getBags({ bagType: oids.pkcs8ShroudedKeyBag })[oids.pkcs8ShroudedKeyBag] ?? []),
    ...(p12.getBags({ bagType: oids.keyBag })[oids.keyBag] ?? []),
  ];
  const forgeKey = keyBags.find((bag) => bag.key)?.key;
  if (!forgeKey) {
    throw new CertificateLoadError('is a PFX file without a usable (RSA) private key.');
  }
  const certificates = (p12.getBags({ bagType: oids.certBag })[oids.certBag] ?? [])
    .filter((bag) => bag.cert)
    .map((bag) => parseCertificate(forge.pki.certificateToPem(bag.cert!)));
  return { key: createPrivateKey(forge.pki.privateKeyToPem(forgeKey)), certificates };
}

function parseCertificate(pem: string): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch (error) {
    throw new CertificateLoadError(`holds a certificate that could not be parsed: ${reason(error)}`);
  }
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
