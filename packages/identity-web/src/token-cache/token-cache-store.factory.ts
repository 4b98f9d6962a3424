import { InvalidConfigurationError } from '../errors';
import type { IdentityWebOptions } from '../options/identity-web.options';
import { InMemoryTokenCacheStore } from './in-memory-token-cache.store';
import { isTokenCacheStore, type TokenCacheStore } from './token-cache.store';

/**
 * The store `tokenCache.store` names, or an in-memory one when none is configured.
 *
 * @example
 * ```ts
 * const store = createTokenCacheStore(options); // InMemoryTokenCacheStore unless configured
 * ```
 */
export function createTokenCacheStore(options: Pick<IdentityWebOptions, 'tokenCache'>): TokenCacheStore {
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
