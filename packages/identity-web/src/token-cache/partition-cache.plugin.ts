import type { ICachePlugin, TokenCacheContext } from '@azure/msal-node';
import { lostChanges, mergeChanges, withoutIdTokens } from './merge-partitions';
import { PartitionWriteLock } from './partition-write.lock';
import { readForUpdate, type TokenCacheStore } from './token-cache.store';

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
  /** Serialises writes of one partition; default: one lock shared by the whole process. */
  lock?: PartitionWriteLock;
}

/** Read-backs after a write to a store other instances write too, each re-applying lost changes. */
const WRITE_RETRIES = 3;

/** `true` for a store other processes write too (it offers a read that skips its in-process copies). */
function isShared(store: TokenCacheStore): boolean {
  return typeof (store as { getForUpdate?: unknown }).getForUpdate === 'function';
}

/** The lock of plugins not given one: every partition write of the process goes through it. */
export const processPartitionLock = new PartitionWriteLock();

/**
 * MSAL cache plugin bound to ONE partition for ONE operation. The caller loads the partition
 * into a fresh MSAL client before the call (`getTokenCache().deserialize(...)`, which also covers
 * flows where MSAL reads its cache without calling `beforeCacheAccess`, such as on-behalf-of);
 * after MSAL changed the cache, the plugin writes the partition back if its content changed.
 * Writes of one partition are serialised (read, merge, write under a per-partition lock), and
 * only what this operation changed is applied over what is stored now, so concurrent refreshes
 * of one user for different scopes keep each other's tokens.
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
  /** MSAL's cache as last loaded or written by this plugin: what this operation's changes are relative to. */
  private base: string | undefined;
  /** The partition as last written by this plugin, when it wrote one. */
  written: string | undefined;

  constructor(
    private readonly store: TokenCacheStore,
    readonly partition: string,
    private readonly options: PartitionCachePluginOptions,
  ) {
    this.base = options.loaded;
  }

  async beforeCacheAccess(_context: TokenCacheContext): Promise<void> {
    // The partition was loaded by the caller before the operation started.
  }

  async afterCacheAccess(context: TokenCacheContext): Promise<void> {
    if (!context.cacheHasChanged || this.options.isDiscarded?.()) return;
    const json = withoutIdTokens(context.tokenCache.serialize());
    if (json === this.base) return;
    const lock = this.options.lock ?? processPartitionLock;
    try {
      await lock.run(this.partition, async () => {
        if (this.options.isDiscarded?.()) return;
        // Another operation may have written the partition since it was loaded (other scopes,
        // same user): apply only what this operation changed over what is stored now.
        const current = await readForUpdate(this.store, this.partition);
        // Loaded, now gone: removed meanwhile (a sign-out, maybe on another instance). Not put back.
        if (current === undefined && this.base !== undefined) return;
        let toWrite = current === undefined ? json : mergeChanges(current, this.base, json);
        await this.store.set(this.partition, toWrite, this.options.ttlSeconds);
        // Another instance may have written between our read and write (the lock above is this
        // process's only): read back, and apply our changes again over theirs if they were lost.
        for (let retry = 0; retry < WRITE_RETRIES && isShared(this.store); retry++) {
          const after = await readForUpdate(this.store, this.partition);
          if (after === undefined) break; // Removed since: not put back.
          if (!lostChanges(after, this.base, json)) break;
          toWrite = mergeChanges(after, this.base, json);
          await this.store.set(this.partition, toWrite, this.options.ttlSeconds);
        }
        this.base = json;
        this.written = toWrite;
      });
    } catch (error) {
      this.options.onWriteError?.(error);
    }
  }
}
