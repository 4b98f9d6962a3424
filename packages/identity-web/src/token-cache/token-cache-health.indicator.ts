import { DistributedTokenCacheStore } from './distributed-token-cache.store';
import { InMemoryTokenCacheStore } from './in-memory-token-cache.store';
import type { TokenCacheStore } from './token-cache.store';

/**
 * What {@link TokenCacheHealthIndicator.check} reports under its key (the shape `@nestjs/terminus` reads).
 *
 * @example
 * ```ts
 * const { tokenCache }: { tokenCache: TokenCacheHealthResult } = indicator.check();
 * if (tokenCache.status === 'down') console.warn(`${tokenCache.queuedWrites} token cache writes waiting`);
 * ```
 */
export interface TokenCacheHealthResult {
  status: 'up' | 'down';
  /** `memory`, `distributed`, or `custom` (a `TokenCacheStore` of the app's own, not observed). */
  store: 'memory' | 'distributed' | 'custom';
  /** The circuit breaker's state (distributed store only). */
  circuit?: 'closed' | 'open' | 'half-open';
  /** Writes waiting for the store to return, and writes dropped because that queue was full. */
  queuedWrites?: number;
  droppedWrites?: number;
}

/**
 * The token cache store's health for a readiness probe, without calling the store: `down` while
 * its circuit is open (calls failing or timing out), `up` otherwise. The result has the shape of a
 * `@nestjs/terminus` health indicator result, so it can be returned from a terminus check as is.
 * The app keeps serving while the store is down (from memory, with sign-in round trips): take an
 * instance out of rotation on it only if every instance shares the store and that is what you want.
 *
 * @example
 * ```ts
 * @Get('health/ready')
 * @HealthCheck()
 * ready() {
 *   return this.health.check([() => this.tokenCacheHealth.check('tokenCache')]);
 * }
 * ```
 */
export class TokenCacheHealthIndicator {
  constructor(private readonly store: TokenCacheStore) {}

  check<const Key extends string = 'tokenCache'>(
    key: Key = 'tokenCache' as Key,
  ): { [K in Key]: TokenCacheHealthResult } {
    const result: TokenCacheHealthResult =
      this.store instanceof DistributedTokenCacheStore
        ? (({ status, circuit, queuedWrites, droppedWrites }) => ({
            status,
            store: 'distributed' as const,
            circuit,
            queuedWrites,
            droppedWrites,
          }))(this.store.health())
        : { status: 'up', store: this.store instanceof InMemoryTokenCacheStore ? 'memory' : 'custom' };
    return { [key]: result } as { [K in Key]: TokenCacheHealthResult };
  }
}
