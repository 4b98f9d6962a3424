import { mkdirSync, readFileSync, renameSync, linkSync, unlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

import { generateKeyMaterial, type EmulatorKeyMaterial } from './certificate-generator';

/** Key material plus where its files are. */
export interface StoredKeyMaterial extends EmulatorKeyMaterial {
  homeDir: string;
  /** `<home>/ca.pem`: the CA certificate alone. */
  caCertificatePath: string;
}

const MATERIAL_FILE = 'emulator-keys.json';

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
    const generated = await generateKeyMaterial();
    const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    writeFileSync(temp, JSON.stringify(generated, null, 2), { mode: 0o600 });
    try {
      linkSync(temp, file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      unlinkSync(temp);
    }
    material = readMaterial(file);
    if (!material) throw new Error(`entra-emulator: could not read ${file} after writing it`);
  }
  const caCertificatePath = join(home, 'ca.pem');
  writeAtomically(caCertificatePath, material.caCertificatePem);
  return { ...material, homeDir: home, caCertificatePath };
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
