import {
  KeyObject,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  webcrypto,
} from 'node:crypto';

/** The key material the emulator keeps in its home directory. */
export interface EmulatorKeyMaterial {
  /** The local certificate authority (PEM), the file other processes trust. */
  caCertificatePem: string;
  caPrivateKeyPem: string;
  /** The HTTPS server certificate for localhost, 127.0.0.1 and ::1, signed by the CA. */
  serverCertificatePem: string;
  serverPrivateKeyPem: string;
  /** The RSA key that signs tokens (RS256). */
  signingKeyPem: string;
}

const ecdsa = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const TEN_YEARS_MS = 10 * 365 * 24 * 3600 * 1000;

/**
 * Generates a CA (basic constraints CA:true), a server certificate for localhost signed by it, and
 * a token-signing RSA key. Uses `@peculiar/x509` (loaded on first use: it needs `reflect-metadata`).
 *
 * @example
 * ```ts
 * const material = await generateKeyMaterial();
 * https.createServer({ cert: material.serverCertificatePem, key: material.serverPrivateKeyPem });
 * ```
 */
export async function generateKeyMaterial(): Promise<EmulatorKeyMaterial> {
  await import('reflect-metadata');
  const x509 = await import('@peculiar/x509');
  x509.cryptoProvider.set(webcrypto as unknown as Crypto);
  const subtle = webcrypto.subtle as unknown as SubtleCrypto;
  const notBefore = new Date(Date.now() - 24 * 3600 * 1000);
  const notAfter = new Date(Date.now() + TEN_YEARS_MS);

  const caKeys = (await subtle.generateKey(ecdsa, true, ['sign', 'verify'])) as CryptoKeyPair;
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=Entra Emulator Local CA ${randomBytes(4).toString('hex')}, O=entra-emulator`,
    notBefore,
    notAfter,
    keys: caKeys,
    signingAlgorithm: ecdsa,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });

  const serverKeys = (await subtle.generateKey(ecdsa, true, ['sign', 'verify'])) as CryptoKeyPair;
  const server = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: 'CN=localhost, O=entra-emulator',
    issuer: ca.subject,
    notBefore,
    notAfter: new Date(Date.now() + 825 * 24 * 3600 * 1000),
    publicKey: serverKeys.publicKey,
    signingKey: caKeys.privateKey,
    signingAlgorithm: ecdsa,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
        true,
      ),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        { type: 'dns', value: 'localhost' },
        { type: 'ip', value: '127.0.0.1' },
        { type: 'ip', value: '::1' },
      ]),
      await x509.AuthorityKeyIdentifierExtension.create(ca, false),
      await x509.SubjectKeyIdentifierExtension.create(serverKeys.publicKey),
    ],
  });

  const signing = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    caCertificatePem: ca.toString('pem') + '\n',
    caPrivateKeyPem: pemOf(caKeys.privateKey),
    serverCertificatePem: server.toString('pem') + '\n',
    serverPrivateKeyPem: pemOf(serverKeys.privateKey),
    signingKeyPem: signing.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

const rsaSha256 = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;

/**
 * A self-signed certificate for the token-signing RSA key, as Entra publishes one per signing key
 * (`x5c` in the JWKS; its SHA-1 thumbprint is the `kid` and `x5t`).
 *
 * @example
 * ```ts
 * const certificatePem = await generateSigningCertificate(material.signingKeyPem);
 * ```
 */
export async function generateSigningCertificate(signingKeyPem: string): Promise<string> {
  await import('reflect-metadata');
  const x509 = await import('@peculiar/x509');
  x509.cryptoProvider.set(webcrypto as unknown as Crypto);
  const subtle = webcrypto.subtle as unknown as SubtleCrypto;
  const privateKeyObject = createPrivateKey(signingKeyPem);
  const privateKey = await subtle.importKey(
    'pkcs8',
    privateKeyObject.export({ type: 'pkcs8', format: 'der' }),
    rsaSha256,
    true,
    ['sign'],
  );
  const publicKey = await subtle.importKey(
    'spki',
    createPublicKey(privateKeyObject).export({ type: 'spki', format: 'der' }),
    rsaSha256,
    true,
    ['verify'],
  );
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: 'CN=entra-emulator token signing, O=entra-emulator',
    notBefore: new Date(Date.now() - 24 * 3600 * 1000),
    notAfter: new Date(Date.now() + TEN_YEARS_MS),
    keys: { privateKey, publicKey },
    signingAlgorithm: rsaSha256,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    ],
  });
  return certificate.toString('pem') + '\n';
}

function pemOf(key: CryptoKey): string {
  return KeyObject.from(key as unknown as webcrypto.CryptoKey)
    .export({ type: 'pkcs8', format: 'pem' })
    .toString();
}

/** A positive random serial number (hex). */
function serial(): string {
  const bytes = randomBytes(16);
  bytes[0] &= 0x7f;
  return bytes.toString('hex');
}
