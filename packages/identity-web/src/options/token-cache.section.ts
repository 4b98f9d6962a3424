/** `IdentityWeb:TokenCache`: in memory by default; a distributed store for several instances. */
import { number, section, store } from './option-kinds';
import type { InputOf, ResolvedOf } from './option-types';

/** The keys of `IdentityWeb:TokenCache`. */
const TOKEN_CACHE = {
  /** Where partitions are kept; see `TokenCacheStore`. In memory when absent. */
  store: store(),
  /** Entries in the in-process index of valid access tokens. Default 100 000. */
  hotIndexSize: number({ min: 0, integer: true }).default(100_000),
};

/**
 * Token cache settings: in memory by default; a distributed store for several instances.
 *
 * @example
 * ```ts
 * const tokenCache: TokenCacheOptions = { store: new RedisTokenCacheStore(redis), hotIndexSize: 10_000 };
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- an interface, so editors show its name
export interface TokenCacheOptions extends InputOf<typeof TOKEN_CACHE> {}

/** `tokenCache` once validated. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- an interface, so editors show its name
export interface ResolvedTokenCacheOptions extends ResolvedOf<typeof TOKEN_CACHE> {}

/** The `TOKEN_CACHE` section. */
export const TOKEN_CACHE_SECTION = section<TokenCacheOptions, ResolvedTokenCacheOptions>(TOKEN_CACHE);
