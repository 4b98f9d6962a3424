import { X509Certificate, createPublicKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { writeCaBundle } from './ca-bundle';
import { ensureKeyMaterial } from './certificate-store';

describe('certificate store', () => {
  let home: string;
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'entra-emulator-home-'));
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  it('generates a CA and a localhost certificate it signed, once, even when started concurrently', async () => {
    const results = await Promise.all([1, 2, 3, 4].map(() => ensureKeyMaterial(home)));
    expect(new Set(results.map((r) => r.caCertificatePem)).size).toBe(1);
    const [material] = results;
    const ca = new X509Certificate(material.caCertificatePem);
    const server = new X509Certificate(material.serverCertificatePem);
    expect(ca.ca).toBe(true);
    expect(server.ca).toBe(false);
    expect(server.verify(ca.publicKey)).toBe(true);
    expect(server.checkHost('localhost')).toBe('localhost');
    expect(server.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(readFileSync(material.caCertificatePath, 'utf8')).toBe(material.caCertificatePem);

    const again = await ensureKeyMaterial(home);
    expect(again.caCertificatePem).toBe(material.caCertificatePem);
    expect(again.signingKeyPem).toBe(material.signingKeyPem);
  });

  it('certifies the token-signing key once, and re-certifies a key whose certificate does not match', async () => {
    const results = await Promise.all([1, 2, 3].map(() => ensureKeyMaterial(home)));
    expect(new Set(results.map((r) => r.signingCertificatePem)).size).toBe(1);
    const [material] = results;
    const certificate = new X509Certificate(material.signingCertificatePem);
    expect(certificate.publicKey.export({ format: 'jwk' })).toEqual(
      createPublicKey(material.signingKeyPem).export({ format: 'jwk' }),
    );
    expect(certificate.verify(certificate.publicKey)).toBe(true);
    expect((await ensureKeyMaterial(home)).signingCertificatePem).toBe(material.signingCertificatePem);

    // A home made before the certificate existed, or whose certificate is stale, gets a right one.
    rmSync(join(home, 'signing-certificate.pem'));
    const regained = await ensureKeyMaterial(home);
    expect(new X509Certificate(regained.signingCertificatePem).publicKey.export({ format: 'jwk' })).toEqual(
      createPublicKey(material.signingKeyPem).export({ format: 'jwk' }),
    );
    writeFileSync(join(home, 'signing-certificate.pem'), material.serverCertificatePem);
    const fixed = await ensureKeyMaterial(home);
    expect(fixed.signingCertificatePem).not.toBe(material.serverCertificatePem);
    expect(readFileSync(join(home, 'signing-certificate.pem'), 'utf8')).toBe(fixed.signingCertificatePem);
  });

  it('refuses a corrupt key file with a message saying what to do', async () => {
    writeFileSync(join(home, 'emulator-keys.json'), '{"half":');
    await expect(ensureKeyMaterial(home)).rejects.toThrow(/corrupt; delete it/);
  });

  it('writes a bundle of the current extra CA file plus the emulator CA, without duplicating it', async () => {
    const { caCertificatePem } = await ensureKeyMaterial(home);
    const system = join(home, 'system.pem');
    writeFileSync(system, '-----BEGIN CERTIFICATE-----\nc3lzdGVt\n-----END CERTIFICATE-----\n');
    const bundle = writeCaBundle(home, caCertificatePem, system);
    const content = readFileSync(bundle, 'utf8');
    expect(content.startsWith('-----BEGIN CERTIFICATE-----\nc3lzdGVt')).toBe(true);
    expect(content).toContain(caCertificatePem.trim());
    // Nested `exec`: the current file is already the bundle.
    writeCaBundle(home, caCertificatePem, bundle);
    expect(readFileSync(bundle, 'utf8')).toBe(content);
    // Unset or unreadable: the CA alone.
    expect(readFileSync(writeCaBundle(home, caCertificatePem, join(home, 'missing.pem')), 'utf8')).toBe(
      `${caCertificatePem.trim()}\n`,
    );
  });
});
