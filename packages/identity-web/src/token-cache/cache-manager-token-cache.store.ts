import type { Cache } from 'cache-manager';
import { TokenCacheStore } from './token-cache.store';

/**
 * `true` when `value` looks like a cache-manager 7 `Cache` (what `createCache` and
 * `@nestjs/cache-manager`'s `CACHE_MANAGER` give).
 *
 * @example
 * ```ts
 * if (isCacheManagerCache(options.tokenCache.store)) store = new CacheManagerTokenCacheStore(options.tokenCache.store);
 * ```
 */
export function isCacheManagerCache(value: unknown): value is Cache {
  const candidate = value as Partial<Record<keyof Cache, unknown>> | null | undefined;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.get === 'function' &&
    typeof candidate.set === 'function' &&
    typeof candidate.del === 'function' &&
    typeof candidate.on === 'function' &&
    Array.isArray(candidate.stores)
  );
}

/**
 * A {@link TokenCacheStore} over a cache-manager 7 `Cache` (Keyv stores: `@keyv/redis`,
 * `@keyv/postgres`...). cache-manager turns a failing store's `get` into a miss and reports the
 * error as an event: this store listens for it and throws instead, so an outage is seen as one
 * (give the Keyv stores `throwOnErrors: true`, or their errors look like empty stores).
 *
 * @example
 * ```ts
 * const cache = createCache({ stores: [createKeyv('redis://localhost:6379', { throwOnErrors: true })] });
 * const store = new CacheManagerTokenCacheStore(cache);
 * ```
 */
export class CacheManagerTokenCacheStore extends TokenCacheStore {
  /** Errors reported for a key while a `get` of it is in progress. */
  private readonly failedGets = new Map<string, unknown>();
  private readonly pending = new Map<string, number>();

  constructor(readonly cache: Cache) {
    super();
    cache.on('get', (event: { key: string; error?: unknown }) => {
      if (event.error !== undefined && this.pending.has(event.key))
        this.failedGets.set(event.key, event.error);
    });
  }

  override async get(key: string): Promise<string | undefined> {
    this.pending.set(key, (this.pending.get(key) ?? 0) + 1);
    try {
      const value = await this.cache.get<string>(key);
      const error = this.failedGets.get(key);
      if (error !== undefined) throw error;
      return typeof value === 'string' ? value : undefined;
    } finally {
      const n = this.pending.get(key)! - 1;
      if (n === 0) {
        this.pending.delete(key);
        this.failedGets.delete(key);
      } else {
        this.pending.set(key, n);
      }
    }
  }

  override async set(key: string, value: string, ttlSeconds?: number): Promise<void> {
    await this.cache.set(key, value, ttlSeconds === undefined ? undefined : ttlSeconds * 1000);
  }

  override async remove(key: string): Promise<void> {
    await this.cache.del(key);
  }

  /** Closes the cache's connections. */
  async close(): Promise<void> {
    await this.cache.disconnect();
  }
}
