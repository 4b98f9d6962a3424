import { ConfidentialClientApplication, LogLevel, PublicClientApplication } from '@azure/msal-node';
import type { Configuration, ICachePlugin } from '@azure/msal-node';
import { Logger } from '@nestjs/common';
import { InvalidConfigurationError } from '../errors';
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
 * instance discovery), and the credential was parsed once at start-up. An app without a client
 * credential only signs users in: its sign-in client is a public client (code + PKCE), and token
 * operations are refused naming the missing setting.
 *
 * @example
 * ```ts
 * const client = await factory.create(authority, plugin, observation);
 * const result = await client.acquireTokenSilent({ account, scopes });
 * ```
 */
export class MsalClientFactory {
  private readonly credential: MsalCredential | undefined;
  private readonly logger = new Logger('IdentityWeb:MSAL');

  constructor(
    private readonly azureAd: IdentityWebOptions['azureAd'],
    private readonly http: IdpHttpClient,
    private readonly metadata: AuthorityMetadataCache,
    /** Where the credentials are configured, for the message when one is missing. */
    private readonly credentialsPath = 'AzureAd:ClientCredentials',
    /** `IdentityWeb:LogLevel`: how much MSAL logs (never PII). */
    private readonly logLevel: 'Error' | 'Warning' | 'Info' | 'Verbose' = 'Error',
  ) {
    this.credential =
      azureAd.clientCredentials.length > 0 ? createMsalCredential(azureAd.clientCredentials) : undefined;
  }

  /**
   * A client for `authority`, bound to `cachePlugin`'s partition, its network use recorded in
   * `observation`. Without a client credential, an `InvalidConfigurationError` naming it.
   */
  async create(
    authority: string,
    cachePlugin: ICachePlugin | undefined,
    observation: NetworkObservation,
  ): Promise<ConfidentialClientApplication> {
    if (!this.credential) {
      throw new InvalidConfigurationError(
        this.credentialsPath,
        'is required to acquire tokens (for downstream APIs, Microsoft Graph, Azure SDKs): ' +
          'this app has no client credential, so it can only sign users in.',
      );
    }
    return new ConfidentialClientApplication(await this.configuration(authority, cachePlugin, observation));
  }

  /**
   * The client that builds sign-in URLs and redeems codes: confidential with the app's credential,
   * or, for an app that only signs users in, a public client (code + PKCE, no credential).
   */
  async createForSignIn(
    authority: string,
    observation: NetworkObservation,
  ): Promise<ConfidentialClientApplication | PublicClientApplication> {
    if (this.credential) return this.create(authority, undefined, observation);
    return new PublicClientApplication(await this.configuration(authority, undefined, observation));
  }

  private async configuration(
    authority: string,
    cachePlugin: ICachePlugin | undefined,
    observation: NetworkObservation,
  ): Promise<Configuration> {
    const metadata = this.metadata.peek(authority) ?? (await this.metadata.get(authority));
    const host = authorityHost(authority);
    return {
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
          logLevel: LogLevel[this.logLevel],
          loggerCallback: (level, message) => {
            // Error and Warning as warnings, as before the setting existed.
            if (level <= LogLevel.Warning) this.logger.warn(message);
            else if (level === LogLevel.Info) this.logger.log(message);
            else this.logger.verbose(message);
          },
        },
      },
    };
  }
}
