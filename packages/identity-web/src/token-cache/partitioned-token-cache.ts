import { TokenCacheUnavailableError } from '../errors';
import { HotTokenIndex } from './hot-token.index';
import { mergePartitions, withoutIdTokens } from './merge-partitions';
import {
  PartitionCachePlugin,
  processPartitionLock,
  type PartitionCachePluginOptions,
} from './partition-cache.plugin';
import { TokenCacheStore } from './token-cache.store';

/**
 * The token cache as token acquisition and sign-in use it: partitions read from and written to
 * the {@link TokenCacheStore} (whose failures become `cache_unavailable`), the hot index of valid
 * access tokens in front of it, and the one place a partition is evicted, so everything the
 * process holds about it (hot tokens, token requests in flight) is forgotten together.
 *
 * @example
 * ```ts
 * const cache = new PartitionedTokenCache(new InMemoryTokenCacheStore(), new HotTokenIndex());
 * cache.onEvict((partition) => flights.discardPartition(partition));
 * const json = await cache.read('uid.utid');
 * ```
 */
export class PartitionedTokenCache {
  private readonly evictionListeners: Array<(partition: string) => void> = [];

  constructor(
    readonly store: TokenCacheStore,
    readonly hotIndex: HotTokenIndex,
  ) {}

  /** Calls `listener` whenever a partition is evicted (a new sign-in, a removed user). */
  onEvict(listener: (partition: string) => void): void {
    this.evictionListeners.push(listener);
  }

  /** Forgets what the process holds about `partition`; the store keeps it. */
  evict(partition: string): void {
    this.hotIndex.evictPartition(partition);
    for (const listener of this.evictionListeners) listener(partition);
  }

  /** The stored partition, or `undefined` when there is none. */
  async read(partition: string): Promise<string | undefined> {
    try {
      return await this.store.get(partition);
    } catch (error) {
      throw new TokenCacheUnavailableError('The token cache store could not be read.', { cause: error });
    }
  }

  /** An MSAL cache plugin that writes `partition` back after one operation changed it. */
  plugin(partition: string, options: PartitionCachePluginOptions): PartitionCachePlugin {
    return new PartitionCachePlugin(this.store, partition, options);
  }

  /**
   * Keeps the tokens of a new sign-in: evicts the partition, then merges the fresh MSAL cache
   * (ID tokens dropped) into what is stored, under the partition's write lock.
   */
  async storeSignIn(partition: string, fresh: string): Promise<void> {
    this.evict(partition);
    await processPartitionLock.run(partition, async () => {
      const stored = await this.read(partition);
      try {
        await this.store.set(partition, withoutIdTokens(mergePartitions(stored, fresh)));
      } catch (error) {
        throw new TokenCacheUnavailableError('The token cache store could not be written.', {
          cause: error,
        });
      }
    });
  }

  /** Evicts the partition and removes it from the store. */
  async remove(partition: string): Promise<void> {
    this.evict(partition);
    try {
      await this.store.remove(partition);
    } catch (error) {
      throw new TokenCacheUnavailableError('The token cache store could not remove a partition.', {
        cause: error,
      });
    }
  }
}
