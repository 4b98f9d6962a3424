import { mkdirSync, readFileSync, renameSync, linkSync, unlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { X509Certificate, createPublicKey, randomBytes } from 'node:crypto';

import {
  generateKeyMaterial,
  generateSigningCertificate,
  type EmulatorKeyMaterial,
} from './certificate-generator';

/** Key material plus where its files are. */
export interface StoredKeyMaterial extends EmulatorKeyMaterial {
  homeDir: string;
  /** `<home>/ca.pem`: the CA certificate alone. */
  caCertificatePath: string;
  /** Self-signed certificate of the token-signing key (`<home>/signing-certificate.pem`). */
  signingCertificatePem: string;
}

const MATERIAL_FILE = 'emulator-keys.json';
const SIGNING_CERTIFICATE_FILE = 'signing-certificate.pem';

/**
 * The emulator's home directory: the option, else `$ENTRA_EMULATOR_HOME`, else `~/.entra-emulator`.
 *
 * @example
 * ```ts
 * resolveHomeDir(undefined); // '/home/me/.entra-emulator'
 * ```
 */
export function resolveHomeDir(homeDir?: string): string {
  return homeDir ?? process.env.ENTRA_EMULATOR_HOME ?? join(homedir(), '.entra-emulator');
}

/**
 * Loads the CA, server certificate and signing key from the home directory, generating them on
 * first use. Safe under concurrent first starts: each process writes a private temp file and
 * hard-links it into place, which fails for all but the first; the others then read the winner's.
 *
 * @example
 * ```ts
 * const keys = await ensureKeyMaterial('/tmp/emu-home');
 * keys.caCertificatePath; // '/tmp/emu-home/ca.pem'
 * ```
 */
export async function ensureKeyMaterial(homeDir?: string): Promise<StoredKeyMaterial> {
  const home = resolveHomeDir(homeDir);
  mkdirSync(home, { recursive: true, mode: 0o700 });
  const file = join(home, MATERIAL_FILE);
  let material = readMaterial(file);
  if (!material) {
    writeOnce(file, JSON.stringify(await generateKeyMaterial(), null, 2));
    material = readMaterial(file);
    if (!material) throw new Error(`entra-emulator: could not read ${file} after writing it`);
  }
  // The signing certificate has its own file, so homes made before it existed gain one too.
  const certificateFile = join(home, SIGNING_CERTIFICATE_FILE);
  let signingCertificatePem = readIfExists(certificateFile);
  if (signingCertificatePem === undefined) {
    writeOnce(certificateFile, await generateSigningCertificate(material.signingKeyPem));
    signingCertificatePem = readIfExists(certificateFile) ?? '';
  }
  if (!certifiesKey(signingCertificatePem, material.signingKeyPem)) {
    // Left over from a deleted key file: certify the current key instead.
    signingCertificatePem = await generateSigningCertificate(material.signingKeyPem);
    writeAtomically(certificateFile, signingCertificatePem);
  }
  const caCertificatePath = join(home, 'ca.pem');
  writeAtomically(caCertificatePath, material.caCertificatePem);
  return { ...material, signingCertificatePem, homeDir: home, caCertificatePath };
}

/** Creates a file unless it exists: the first of several concurrent writers wins, the rest keep its content. */
function writeOnce(path: string, content: string): void {
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temp, content, { mode: 0o600 });
  try {
    linkSync(temp, path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    unlinkSync(temp);
  }
}

/**
 * Writes a file through a temp file and a rename, so readers never see half of it.
 *
 * @example
 * ```ts
 * writeAtomically('/tmp/emu-home/ca-bundle.pem', pem);
 * ```
 */
export function writeAtomically(path: string, content: string): void {
  if (readIfExists(path) === content) return;
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temp, content);
  renameSync(temp, path);
}

function certifiesKey(certificatePem: string, privateKeyPem: string): boolean {
  try {
    const certified = new X509Certificate(certificatePem).publicKey.export({ format: 'jwk' });
    const actual = createPublicKey(privateKeyPem).export({ format: 'jwk' });
    return certified.n === actual.n && certified.e === actual.e;
  } catch {
    return false;
  }
}

function readMaterial(file: string): EmulatorKeyMaterial | undefined {
  const text = readIfExists(file);
  if (text === undefined) return undefined;
  try {
    const parsed = JSON.parse(text) as Partial<EmulatorKeyMaterial>;
    const keys: (keyof EmulatorKeyMaterial)[] = [
      'caCertificatePem',
      'caPrivateKeyPem',
      'serverCertificatePem',
      'serverPrivateKeyPem',
      'signingKeyPem',
    ];
    if (keys.every((k) => typeof parsed[k] === 'string')) return parsed as EmulatorKeyMaterial;
  } catch {
    // fall through: a corrupt file is reported below
  }
  throw new Error(`entra-emulator: ${file} is corrupt; delete it to generate new certificates`);
}

function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
