import { ConfidentialClientApplication, LogLevel } from '@azure/msal-node';
import type { ICachePlugin } from '@azure/msal-node';
import { Logger } from '@nestjs/common';
import type { IdentityWebOptions } from '../options/identity-web.options';
import { authorityHost, isMicrosoftCloudHost } from './authority';
import type { AuthorityMetadataCache } from './authority-metadata.cache';
import { createMsalCredential, type MsalCredential } from './client-credential.factory';
import type { IdpHttpClient, NetworkObservation } from './idp-http.client';

/**
 * Builds one MSAL `ConfidentialClientApplication` per token operation. Each client holds one
 * cache partition only and is thrown away after the operation; construction is cheap because
 * the authority metadata comes from the shared {@link AuthorityMetadataCache} (MSAL fetches
 * nothing), non-Microsoft hosts (B2C, the emulator) are passed as `knownAuthorities` (MSAL skips
 * instance discovery), and the credential was parsed once at start-up.
 *
 * @example
 * ```ts
 * const client = await factory.create(authority, plugin, observation);
 * const result = await client.acquireTokenSilent({ account, scopes });
 * ```
 */
export class MsalClientFactory {
  private readonly credential: MsalCredential;
  private readonly logger = new Logger('IdentityWeb:MSAL');

  constructor(
    private readonly azureAd: IdentityWebOptions['azureAd'],
    private readonly http: IdpHttpClient,
    private readonly metadata: AuthorityMetadataCache,
  ) {
    this.credential = createMsalCredential(azureAd.clientCredentials);
  }

  /** A client for `authority`, bound to `cachePlugin`'s partition, its network use recorded in `observation`. */
  async create(
    authority: string,
    cachePlugin: ICachePlugin | undefined,
    observation: NetworkObservation,
  ): Promise<ConfidentialClientApplication> {
    const metadata = this.metadata.peek(authority) ?? (await this.metadata.get(authority));
    const host = authorityHost(authority);
    return new ConfidentialClientApplication({
      auth: {
        clientId: this.azureAd.clientId,
        authority,
        ...this.credential,
        authorityMetadata: metadata.json,
        knownAuthorities: isMicrosoftCloudHost(host) ? [] : [host],
        clientCapabilities: this.azureAd.clientCapabilities ?? [],
      },
      cache: cachePlugin ? { cachePlugin } : {},
      system: {
        networkClient: this.http.forOperation(observation),
        loggerOptions: {
          piiLoggingEnabled: false,
          logLevel: LogLevel.Error,
          loggerCallback: (_level, message) => this.logger.warn(message),
        },
      },
    });
  }
}
