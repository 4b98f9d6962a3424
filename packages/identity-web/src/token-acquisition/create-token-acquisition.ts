import type { IdentityWebOptions } from '../options/identity-web.options';
import { HotTokenIndex } from '../token-cache/hot-token.index';
import { DistributedTokenCacheStore } from '../token-cache/distributed-token-cache.store';
import { PartitionedTokenCache } from '../token-cache/partitioned-token-cache';
import type { TokenCacheStore } from '../token-cache/token-cache.store';
import { createTokenCacheStore } from '../token-cache/token-cache-store.factory';
import { Authorities } from './authorities';
import { AuthorityMetadataCache } from './authority-metadata.cache';
import { IdpHttpClient } from './idp-http.client';
import { MsalClientFactory } from './msal-client.factory';
import { TokenAcquisitionService } from './token-acquisition.service';

/** The collaborators of token acquisition, each built once; the Nest module provides every one. */
export interface TokenAcquisitionParts {
  readonly http: IdpHttpClient;
  readonly metadata: AuthorityMetadataCache;
  readonly authorities: Authorities;
  readonly clients: MsalClientFactory;
  readonly hotIndex: HotTokenIndex;
  readonly cache: PartitionedTokenCache;
  readonly tokens: TokenAcquisitionService;
}

/** Collaborators to use instead of the default ones (a store built in code, a test's network). */
export interface TokenAcquisitionOverrides {
  store?: TokenCacheStore;
  http?: IdpHttpClient;
  hotIndex?: HotTokenIndex;
  /** Builds the service itself, for a subclass (a test's clock). */
  createService?: (...args: ConstructorParameters<typeof TokenAcquisitionService>) => TokenAcquisitionService;
}

/**
 * Builds token acquisition and the token cache from validated options, without Nest's container:
 * the one place their collaborators are wired, used by `IdentityWebModule` and by code that runs
 * outside Nest (scripts, workers, benchmarks).
 *
 * @example
 * ```ts
 * const { tokens } = createTokenAcquisition(normalizeOptions(appsettings));
 * const token = await tokens.getAccessTokenForApp('https://graph.microsoft.com/.default');
 * ```
 */
export function createTokenAcquisition(
  options: Pick<IdentityWebOptions, 'azureAd' | 'tokenCache'> &
    Partial<Pick<IdentityWebOptions, 'azureAdSection'>>,
  overrides: TokenAcquisitionOverrides = {},
): TokenAcquisitionParts {
  const http = overrides.http ?? new IdpHttpClient(options.azureAd.httpTimeoutMs);
  const metadata = new AuthorityMetadataCache(http);
  const authorities = new Authorities(options, metadata);
  const clients = new MsalClientFactory(
    options.azureAd,
    http,
    metadata,
    `${options.azureAdSection ?? 'AzureAd'}:ClientCredentials`,
  );
  const store = overrides.store ?? createTokenCacheStore(options);
  // With L1 off, every call reads the shared store: the hot index must not answer either.
  const shared = store instanceof DistributedTokenCacheStore;
  const hotIndexSize = shared && !options.tokenCache.l1Enabled ? 0 : options.tokenCache.hotIndexSize;
  const hotIndex = overrides.hotIndex ?? new HotTokenIndex(hotIndexSize);
  const cache = new PartitionedTokenCache(store, hotIndex);
  const create =
    overrides.createService ??
    ((...args: ConstructorParameters<typeof TokenAcquisitionService>) =>
      new TokenAcquisitionService(...args));
  const tokens = create(options, authorities, clients, cache, hotIndex);
  return { http, metadata, authorities, clients, hotIndex, cache, tokens };
}
