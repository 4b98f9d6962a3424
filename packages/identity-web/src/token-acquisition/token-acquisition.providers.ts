import type { Provider } from '@nestjs/common';
import { IdentityWebOptions } from '../options/identity-web.options';
import { HotTokenIndex } from '../token-cache/hot-token.index';
import { PartitionedTokenCache } from '../token-cache/partitioned-token-cache';
import { TokenCacheHealthIndicator } from '../token-cache/token-cache-health.indicator';
import { TokenCacheStore } from '../token-cache/token-cache.store';
import { Authorities } from './authorities';
import { AuthorityMetadataCache } from './authority-metadata.cache';
import { createTokenAcquisition, type TokenAcquisitionParts } from './create-token-acquisition';
import { IdpHttpClient } from './idp-http.client';
import { MsalClientFactory } from './msal-client.factory';
import { TokenAcquisitionService } from './token-acquisition.service';

/** The wired parts, built once by {@link createTokenAcquisition}; each part is provided by its class. */
const TOKEN_ACQUISITION_PARTS = Symbol('identity-web:token-acquisition-parts');

const part = <K extends keyof TokenAcquisitionParts>(
  provide: abstract new (...args: never[]) => unknown,
  key: K,
) => ({
  provide,
  useFactory: (parts: TokenAcquisitionParts) => parts[key],
  inject: [TOKEN_ACQUISITION_PARTS],
});

/** Providers of the token acquisition and token cache parts, registered by IdentityWebModule. */
export const tokenAcquisitionProviders: Provider[] = [
  {
    provide: TOKEN_ACQUISITION_PARTS,
    useFactory: (options: IdentityWebOptions) => createTokenAcquisition(options),
    inject: [IdentityWebOptions],
  },
  part(IdpHttpClient, 'http'),
  part(AuthorityMetadataCache, 'metadata'),
  part(Authorities, 'authorities'),
  part(MsalClientFactory, 'clients'),
  part(HotTokenIndex, 'hotIndex'),
  part(PartitionedTokenCache, 'cache'),
  {
    provide: TokenCacheStore,
    useFactory: (parts: TokenAcquisitionParts) => parts.cache.store,
    inject: [TOKEN_ACQUISITION_PARTS],
  },
  {
    provide: TokenCacheHealthIndicator,
    useFactory: (parts: TokenAcquisitionParts) => new TokenCacheHealthIndicator(parts.cache.store),
    inject: [TOKEN_ACQUISITION_PARTS],
  },
  part(TokenAcquisitionService, 'tokens'),
];
