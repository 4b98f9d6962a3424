import { createHash, generateKeyPairSync, X509Certificate } from 'node:crypto';

import { generateSigningCertificate } from '../../src/certificates/certificate-generator';

/** A client certificate a test registers on an app, with what clients sign assertions with. */
export interface TestCertificate {
  /** PEM certificate (what `AppConfig.certificates` takes). */
  certificatePem: string;
  /** PKCS#8 PEM private key. */
  privateKeyPem: string;
  /** SHA-1 thumbprint, hex (MSAL's `thumbprint`). */
  sha1Hex: string;
  /** SHA-256 thumbprint, hex (MSAL's `thumbprintSha256`). */
  sha256Hex: string;
  /** SHA-1 thumbprint, base64url (an assertion's `x5t`). */
  x5t: string;
  /** SHA-256 thumbprint, base64url (an assertion's `x5t#S256`). */
  x5tS256: string;
}

/**
 * A fresh RSA key and its self-signed certificate.
 *
 * @example
 * ```ts
 * const cert = await testCertificate();
 * emu.control.addApp({ clientId, displayName: 'Daemon', certificates: [cert.certificatePem] });
 * ```
 */
export async function testCertificate(): Promise<TestCertificate> {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const certificatePem = await generateSigningCertificate(privateKeyPem);
  const der = new X509Certificate(certificatePem).raw;
  const sha1 = createHash('sha1').update(der).digest();
  const sha256 = createHash('sha256').update(der).digest();
  return {
    certificatePem,
    privateKeyPem,
    sha1Hex: sha1.toString('hex'),
    sha256Hex: sha256.toString('hex'),
    x5t: sha1.toString('base64url'),
    x5tS256: sha256.toString('base64url'),
  };
}
