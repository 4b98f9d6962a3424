import { ConfidentialClientApplication, type AccountInfo } from '@azure/msal-node';
import type { SeededUser } from '../../packages/identity-web/test/token-acquisition/support/msal-partition';

/** Settings shared by the baseline MSAL clients: the same metadata shortcut the library uses. */
export interface BaselineClientSettings {
  clientId: string;
  clientSecret: string;
  authority: string;
  host: string;
  authorityMetadata: string;
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
