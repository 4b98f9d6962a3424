import { TokenCacheUnavailableError } from '../errors';
import { HotTokenIndex } from './hot-token.index';
import { mergePartitions, withoutIdTokens } from './merge-partitions';
import {
  PartitionCachePlugin,
  processPartitionLock,
  type PartitionCachePluginOptions,
} from './partition-cache.plugin';
import { userCacheKey } from './partition-keys';
import { readForUpdate, TokenCacheStore, writeSignIn } from './token-cache.store';

/** What a store that other instances also write offers (see `DistributedTokenCacheStore`). */
interface SharedStore {
  onInvalidate(listener: (partition: string | null) => void): void;
  readonly l1LifetimeMs: number | undefined;
}

function isShared(store: TokenCacheStore): store is TokenCacheStore & SharedStore {
  return typeof (store as Partial<SharedStore>).onInvalidate === 'function';
}

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

  /** Longest time the hot index may serve a token without rereading the store; none for a store of this process only. */
  readonly hotLifetimeMs: number | undefined;

  constructor(
    readonly store: TokenCacheStore,
    readonly hotIndex: HotTokenIndex,
  ) {
    if (isShared(store)) {
      this.hotLifetimeMs = store.l1LifetimeMs;
      // Another instance changed the partition: its tokens here may be the ones it replaced.
      // (Requests in flight still write back: the store merges their changes.)
      store.onInvalidate((partition) =>
        partition === null ? hotIndex.clear() : hotIndex.evictPartition(partition),
      );
    }
  }

  /**
   * When the hot index must stop serving a token: the identity provider's `refreshOn`, or sooner
   * when other instances share the store (bounded staleness if an invalidation is lost).
   */
  hotRenewal(refreshOn: Date | undefined, nowMs: number): Date | undefined {
    if (this.hotLifetimeMs === undefined) return refreshOn;
    const cap = nowMs + this.hotLifetimeMs;
    return refreshOn && refreshOn.getTime() < cap ? refreshOn : new Date(cap);
  }

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

  /** The partition as stored now, skipping in-process copies (for a read-merge-write). */
  async readForUpdate(partition: string): Promise<string | undefined> {
    try {
      return await readForUpdate(this.store, partition);
    } catch (error) {
      throw new TokenCacheUnavailableError('The token cache store could not be read.', { cause: error });
    }
  }

  /** An MSAL cache plugin that writes `partition` back after one operation changed it. */
  plugin(partition: string, options: PartitionCachePluginOptions): PartitionCachePlugin {
    return new PartitionCachePlugin(this.store, partition, options);
  }

  /**
   * Keeps the tokens of a new sign-in of the user `homeAccountId`: evicts their partition, then
   * merges the fresh MSAL cache (ID tokens dropped) into what is stored, under the partition's
   * write lock.
   */
  async storeSignIn(homeAccountId: string, fresh: string): Promise<void> {
    const partition = userCacheKey(homeAccountId);
    this.evict(partition);
    await processPartitionLock.run(partition, async () => {
      const stored = await this.readForUpdate(partition);
      try {
        await writeSignIn(this.store, partition, withoutIdTokens(mergePartitions(stored, fresh)));
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
