import type { AccountInfo, AuthenticationResult, ConfidentialClientApplication } from '@azure/msal-node';
import { Logger } from '@nestjs/common';
import { IdentityProviderError } from '../errors';
import type { PartitionedTokenCache } from '../token-cache/partitioned-token-cache';
import type { NetworkObservation } from './idp-http.client';
import type { MsalClientFactory } from './msal-client.factory';
import { toIdentityWebError, type FailedRequest, type TokenRequestKind } from './msal-error.mapper';
import type { Flight } from './single-flight';

/** What a token operation runs on: a fresh MSAL client, and the partition as it was loaded into it. */
export type PartitionOperation = (
  client: ConfidentialClientApplication,
  loaded: string | undefined,
) => Promise<AuthenticationResult | null>;

/**
 * Runs one MSAL token operation on a fresh client that holds one cache partition only: loads the
 * partition, lets MSAL work, writes the partition back when MSAL changed it (unless the partition
 * was evicted meanwhile), and turns whatever MSAL or the network threw into the library's errors.
 *
 * @example
 * ```ts
 * const result = await runner.run(flight, { kind: 'app', authority, scopes }, undefined, (client) =>
 *   client.acquireTokenByClientCredential({ scopes }));
 * ```
 */
export class MsalPartitionRunner {
  private readonly logger = new Logger('IdentityWeb:TokenAcquisition');

  constructor(
    private readonly clients: MsalClientFactory,
    private readonly cache: PartitionedTokenCache,
  ) {}

  /** Runs `operation` on a fresh MSAL client holding only `flight.partition`, writing it back when changed. */
  async run(
    flight: Flight<unknown>,
    request: FailedRequest & { kind: TokenRequestKind },
    ttlSeconds: number | undefined,
    operation: PartitionOperation,
  ): Promise<AuthenticationResult> {
    const network: NetworkObservation = { requests: 0 };
    try {
      const loaded = await this.cache.read(flight.partition);
      const plugin = this.cache.plugin(flight.partition, {
        loaded,
        ttlSeconds,
        isDiscarded: () => flight.discarded,
        // The token got is still returned: the user is served, the next request reloads.
        onWriteError: (error) =>
          this.logger.warn(
            `The token cache store could not be written: ${(error as Error)?.message ?? String(error)}`,
          ),
      });
      const client = await this.clients.create(request.authority, plugin, network);
      if (loaded) client.getTokenCache().deserialize(loaded);
      const result = await operation(client, loaded);
      if (!result?.accessToken) {
        throw new IdentityProviderError(
          `${request.authority} returned no access token for ${request.scopes.join(' ')}.`,
        );
      }
      return result;
    } catch (error) {
      throw toIdentityWebError(error, { ...request, network });
    }
  }
}

/** The partition's account (there is one per partition; compared lower-cased). */
export async function findAccount(
  client: ConfidentialClientApplication,
  partition: string,
): Promise<AccountInfo | null> {
  const accounts = await client.getTokenCache().getAllAccounts();
  const id = partition.startsWith('user:') ? partition.slice(5) : partition;
  return accounts.find((a) => a.homeAccountId.toLowerCase() === id) ?? accounts[0] ?? null;
}
