import type { ICachePlugin, TokenCacheContext } from '@azure/msal-node';
import { mergePartitions, withoutIdTokens } from './merge-partitions';
import type { TokenCacheStore } from './token-cache.store';

/** What the plugin needs besides the store and the partition key. */
export interface PartitionCachePluginOptions {
  /** The partition as read from the store before the operation, loaded into MSAL by the caller. */
  loaded: string | undefined;
  /** Lifetime to give the stored partition, in seconds (none when absent). */
  ttlSeconds?: number;
  /** `true` when the partition was removed meanwhile (sign-out): then nothing is written back. */
  isDiscarded?: () => boolean;
  /** Called when writing the partition fails; the operation's result stays valid. */
  onWriteError?: (error: unknown) => void;
}

/**
 * MSAL cache plugin bound to ONE partition for ONE operation. The caller loads the partition
 * into a fresh MSAL client before the call (`getTokenCache().deserialize(...)`, which also covers
 * flows where MSAL reads its cache without calling `beforeCacheAccess`, such as on-behalf-of);
 * after MSAL changed the cache, the plugin writes the partition back if its content changed.
 * Nothing of any other user is ever in the client, so users cannot leak into each other's
 * partitions.
 *
 * @example
 * ```ts
 * const plugin = new PartitionCachePlugin(store, 'uid.utid', { loaded: json });
 * const client = new ConfidentialClientApplication({ auth, cache: { cachePlugin: plugin } });
 * if (json) client.getTokenCache().deserialize(json);
 * ```
 */
export class PartitionCachePlugin implements ICachePlugin {
  private lastWritten: string | undefined;
  /** The partition as last written by this plugin, when it wrote one. */
  written: string | undefined;

  constructor(
    private readonly store: TokenCacheStore,
    readonly partition: string,
    private readonly options: PartitionCachePluginOptions,
  ) {
    this.lastWritten = options.loaded;
  }

  async beforeCacheAccess(_context: TokenCacheContext): Promise<void> {
    // The partition was loaded by the caller before the operation started.
  }

  async afterCacheAccess(context: TokenCacheContext): Promise<void> {
    if (!context.cacheHasChanged || this.options.isDiscarded?.()) return;
    const json = withoutIdTokens(context.tokenCache.serialize());
    if (json === this.lastWritten) return;
    try {
      // Another operation may have written the partition meanwhile (other scopes, same user):
      // keep its entries too, ours winning where both wrote.
      const current = await this.store.get(this.partition);
      const toWrite =
        current !== undefined && current !== this.lastWritten ? mergePartitions(current, json) : json;
      await this.store.set(this.partition, toWrite, this.options.ttlSeconds);
      this.lastWritten = toWrite;
      this.written = toWrite;
    } catch (error) {
      this.options.onWriteError?.(error);
    }
  }
}
