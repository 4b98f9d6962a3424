/**
 * Where token cache partitions live. A partition is one user's (or one app+tenant's, or one
 * on-behalf-of assertion's) MSAL cache, serialized as a JSON string. The library reads one
 * partition per token operation and writes it back when MSAL changed it, so a store never has
 * to hold more than it is asked for, and an implementation over Redis, PostgreSQL or any
 * key-value store only needs these three calls.
 *
 * The abstract class doubles as the Nest injection token.
 *
 * @example
 * ```ts
 * class RedisTokenCacheStore extends TokenCacheStore {
 *   constructor(private readonly redis: Redis) { super(); }
 *   get(key: string) { return this.redis.get(key).then((v) => v ?? undefined); }
 *   async set(key: string, value: string, ttlSeconds?: number) {
 *     await (ttlSeconds ? this.redis.set(key, value, 'EX', ttlSeconds) : this.redis.set(key, value));
 *   }
 *   async remove(key: string) { await this.redis.del(key); }
 * }
 * ```
 */
export abstract class TokenCacheStore {
  /** The partition stored under `key`, or `undefined` when there is none. */
  abstract get(key: string): Promise<string | undefined>;
  /** Stores a partition; `ttlSeconds` bounds how long it may be kept (no bound when absent). */
  abstract set(key: string, value: string, ttlSeconds?: number): Promise<void>;
  /** Forgets a partition; removing a missing key is not an error. */
  abstract remove(key: string): Promise<void>;
}

/**
 * `true` when `value` has the three methods of a {@link TokenCacheStore}, whether or not it
 * extends the class (a store from another copy of the package, or a plain object).
 *
 * @example
 * ```ts
 * if (!isTokenCacheStore(options.tokenCache?.store)) throw new Error('not a store');
 * ```
 */
export function isTokenCacheStore(value: unknown): value is TokenCacheStore {
  const candidate = value as Partial<Record<keyof TokenCacheStore, unknown>> | null | undefined;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.get === 'function' &&
    typeof candidate.set === 'function' &&
    typeof candidate.remove === 'function'
  );
}

/**
 * The partition as the store holds it now: `store.getForUpdate` when the store has one (it keeps
 * copies in process that may be older), else `store.get`. Read-merge-writes read through it.
 *
 * @example
 * ```ts
 * const current = await readForUpdate(store, partition);
 * await store.set(partition, mergeChanges(current, loaded, mine));
 * ```
 */
export function readForUpdate(store: TokenCacheStore, partition: string): Promise<string | undefined> {
  const shared = store as TokenCacheStore & { getForUpdate?: (key: string) => Promise<string | undefined> };
  return shared.getForUpdate ? shared.getForUpdate(partition) : store.get(partition);
}

/**
 * Writes the partition of a new sign-in: `store.setFromSignIn` when the store has one (a shared
 * store drops other writes of a removed partition, not a sign-in's), else `store.set`.
 *
 * @example
 * ```ts
 * await writeSignIn(store, partition, mergePartitions(await readForUpdate(store, partition), fresh));
 * ```
 */
export function writeSignIn(store: TokenCacheStore, partition: string, json: string): Promise<void> {
  const shared = store as TokenCacheStore & {
    setFromSignIn?: (key: string, value: string) => Promise<void>;
  };
  return shared.setFromSignIn ? shared.setFromSignIn(partition, json) : store.set(partition, json);
}
