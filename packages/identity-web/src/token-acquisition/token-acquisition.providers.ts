import type { Provider } from '@nestjs/common';
import { InvalidConfigurationError } from '../errors';
import { IdentityWebOptions } from '../options/identity-web.options';
import { InMemoryTokenCacheStore } from '../token-cache/in-memory-token-cache.store';
import { isTokenCacheStore, TokenCacheStore } from '../token-cache/token-cache.store';
import { TokenAcquisitionService } from './token-acquisition.service';

/** The configured token cache store, or an in-memory one. */
export function createTokenCacheStore(options: IdentityWebOptions): TokenCacheStore {
  const store = options.tokenCache?.store;
  if (store === undefined) return new InMemoryTokenCacheStore();
  if (!isTokenCacheStore(store)) {
    throw new InvalidConfigurationError(
      'TokenCache:Store',
      'must be a TokenCacheStore (an object with get, set and remove methods).',
    );
  }
  return store;
}

/** Providers of the token acquisition and token cache parts, registered by IdentityWebModule. */
export const tokenAcquisitionProviders: Provider[] = [
  { provide: TokenCacheStore, useFactory: createTokenCacheStore, inject: [IdentityWebOptions] },
  TokenAcquisitionService,
];
