import { ConfidentialClientApplication, type AccountInfo } from '@azure/msal-node';
import { DEFAULT_APPS, type RunningEmulator } from '../../packages/entra-emulator/src';
import type { SeededUser } from '../../packages/identity-web/test/token-acquisition/support/msal-partition';

/** Settings shared by the baseline MSAL clients: the same metadata shortcut the library uses. */
export interface BaselineClientSettings {
  clientId: string;
  clientSecret: string;
  authority: string;
  host: string;
  authorityMetadata: string;
}

/** The web app's baseline settings against the emulator, all but the metadata. */
export function settingsOf(emulator: RunningEmulator): Omit<BaselineClientSettings, 'authorityMetadata'> {
  return {
    clientId: DEFAULT_APPS.webApp.clientId,
    clientSecret: DEFAULT_APPS.webApp.clientSecret,
    authority: emulator.authority,
    host: emulator.host,
  };
}

/** A plain MSAL client, as an app without this library would build it. */
export function baselineClient(settings: BaselineClientSettings): ConfidentialClientApplication {
  return new ConfidentialClientApplication({
    auth: {
      clientId: settings.clientId,
      clientSecret: settings.clientSecret,
      authority: settings.authority,
      knownAuthorities: [settings.host],
      authorityMetadata: settings.authorityMetadata,
    },
  });
}

/** The account MSAL needs for a silent call, built from what the session would hold (no cache scan). */
export function accountOf(user: SeededUser): AccountInfo {
  return {
    homeAccountId: user.homeAccountId,
    environment: user.environment,
    tenantId: user.tenantId,
    username: user.username,
    localAccountId: user.oid,
  };
}

/** Merges user partitions into one MSAL cache JSON, as a shared client would hold them. */
export function mergeAll(partitions: readonly string[]): string {
  const all: Record<string, Record<string, unknown>> = {
    Account: {},
    IdToken: {},
    AccessToken: {},
    RefreshToken: {},
    AppMetadata: {},
  };
  for (const json of partitions) {
    const cache = JSON.parse(json) as Record<string, Record<string, unknown>>;
    for (const section of Object.keys(all)) Object.assign(all[section], cache[section] ?? {});
  }
  return JSON.stringify(all);
}

/** Failed calls of a baseline, by error code, e.g. `3 failed (network_error ×3)`; `none` when all succeeded. */
export function failuresOf(settled: readonly PromiseSettledResult<unknown>[]): string {
  const codes = new Map<string, number>();
  for (const result of settled) {
    if (result.status === 'fulfilled') continue;
    const reason = result.reason as { errorCode?: unknown; code?: unknown; name?: unknown } | undefined;
    const code = String(reason?.errorCode ?? reason?.code ?? reason?.name ?? 'error');
    codes.set(code, (codes.get(code) ?? 0) + 1);
  }
  if (codes.size === 0) return 'none';
  const total = [...codes.values()].reduce((a, b) => a + b, 0);
  return `${total} failed (${[...codes].map(([code, n]) => `${code} ×${n}`).join(', ')})`;
}
