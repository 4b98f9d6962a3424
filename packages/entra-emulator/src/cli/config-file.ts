import { readFileSync } from 'node:fs';

import type { DirectoryConfig } from '../directory/directory.types';

/** What a `--config` file holds: a directory plus the token lifetimes. */
export interface EmulatorConfigFile {
  directory: DirectoryConfig;
  accessTokenLifetimeSeconds?: number;
  idTokenLifetimeSeconds?: number;
}

const LIFETIME_KEYS = ['accessTokenLifetimeSeconds', 'idTokenLifetimeSeconds'] as const;

/**
 * Reads a `--config` JSON file: the directory keys (`tenants`, `users`, `apps`, `consents` (or its
 * former name `grants`), `conditionalAccess`, `replaceDefaults`) and `accessTokenLifetimeSeconds` /
 * `idTokenLifetimeSeconds` (positive integers). Errors name the file and the key.
 *
 * @example
 * ```ts
 * const { directory, accessTokenLifetimeSeconds } = readConfigFile('dir.json');
 * ```
 */
export function readConfigFile(path: string): EmulatorConfigFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`--config ${path}: ${(err as Error).message}`, { cause: err });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(
      `--config ${path}: expected a JSON object with tenants/users/apps/consents/conditionalAccess`,
    );
  }
  const { accessTokenLifetimeSeconds, idTokenLifetimeSeconds, ...directory } = parsed as Record<
    string,
    unknown
  >;
  const lifetimes = { accessTokenLifetimeSeconds, idTokenLifetimeSeconds };
  for (const key of LIFETIME_KEYS) {
    const value = lifetimes[key];
    if (value !== undefined && !(typeof value === 'number' && Number.isSafeInteger(value) && value > 0)) {
      throw new Error(`--config ${path}: ${key}: expected a positive integer (seconds)`);
    }
  }
  return {
    directory: directory as DirectoryConfig,
    accessTokenLifetimeSeconds: accessTokenLifetimeSeconds as number | undefined,
    idTokenLifetimeSeconds: idTokenLifetimeSeconds as number | undefined,
  };
}

/**
 * Warnings for lifetimes a client will find awkward: MSAL renews access tokens 300 s before they
 * expire, so a lifetime of 300 s or less makes every call go back to the token endpoint.
 *
 * @example
 * ```ts
 * for (const w of lifetimeWarnings({ accessTokenLifetimeSeconds: 120 })) console.warn(w);
 * ```
 */
export function lifetimeWarnings(lifetimes: {
  accessTokenLifetimeSeconds?: number;
  idTokenLifetimeSeconds?: number;
}): string[] {
  const warnings: string[] = [];
  const at = lifetimes.accessTokenLifetimeSeconds;
  if (at !== undefined && at < 300) {
    warnings.push(
      `entra-emulator: warning: access token lifetime ${at} s is under 300 s; MSAL renews tokens 300 s before expiry, so every call will hit the token endpoint`,
    );
  }
  const id = lifetimes.idTokenLifetimeSeconds;
  if (id !== undefined && id < 300) {
    warnings.push(
      `entra-emulator: warning: ID token lifetime ${id} s is under 300 s; sessions that check it expire almost at once`,
    );
  }
  return warnings;
}
