import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { writeAtomically } from './certificate-store';

/**
 * Writes `<home>/ca-bundle.pem`: the certificates of the file `NODE_EXTRA_CA_CERTS` names now (if
 * set and readable; Node reads only one file from that variable) followed by the emulator's CA.
 * Returns the bundle's path, to put in `NODE_EXTRA_CA_CERTS` for child processes.
 *
 * @example
 * ```ts
 * const bundle = writeCaBundle(material.homeDir, material.caCertificatePem);
 * spawn('npx', ['jest'], { env: { ...process.env, NODE_EXTRA_CA_CERTS: bundle } });
 * ```
 */
export function writeCaBundle(
  homeDir: string,
  caCertificatePem: string,
  current = process.env.NODE_EXTRA_CA_CERTS,
): string {
  const bundlePath = join(homeDir, 'ca-bundle.pem');
  let existing = '';
  if (current) {
    try {
      existing = readFileSync(current, 'utf8');
    } catch {
      existing = '';
    }
  }
  const ca = caCertificatePem.trim();
  const content = existing.includes(ca)
    ? existing
    : `${existing.trimEnd()}${existing.trim() ? '\n' : ''}${ca}\n`;
  writeAtomically(bundlePath, content);
  return bundlePath;
}
