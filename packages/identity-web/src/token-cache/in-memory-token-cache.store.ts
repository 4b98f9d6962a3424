import { TokenCacheStore } from './token-cache.store';

/** Settings of {@link InMemoryTokenCacheStore}. */
export interface InMemoryTokenCacheStoreOptions {
  /** Most partitions kept; the least recently used goes first. Default 1 000 000. */
  maxEntries?: number;
  /** Lifetime of a partition without `ttlSeconds` of its own, in seconds. Default: none. */
  defaultTtlSeconds?: number;
  /** Clock in milliseconds since the epoch; tests freeze it. Default `Date.now`. */
  now?: () => number;
}

interface Entry {
  value: string;
  /** Milliseconds since the epoch; `Infinity` when the entry never expires. */
  expiresAt: number;
}

/**
 * The default {@link TokenCacheStore}: partitions in a `Map`, bounded in count (least recently
 * used evicted first) and in time (each entry's TTL). Fine for one instance; several instances
 * behind a load balancer need a distributed store so that a user's refresh token is found
 * whichever instance serves the request.
 *
 * @example
 * ```ts
 * IdentityWebModule.forRoot({ azureAd, tokenCache: { store: new InMemoryTokenCacheStore({ maxEntries: 50_000 }) } });
 * ```
 */
export class InMemoryTokenCacheStore extends TokenCacheStore {
  private readonly entries = new Map<string, Entry>();
  private readonly maxEntries: number;
  private readonly defaultTtlSeconds: number | undefined;
  private readonly now: () => number;

  constructor(options: InMemoryTokenCacheStoreOptions = {}) {
    super();
    this.maxEntries = Math.max(1, options.maxEntries ?? 1_000_000);
    this.defaultTtlSeconds = options.defaultTtlSeconds;
    this.now = options.now ?? Date.now;
  }

  /** Number of partitions held (expired ones not yet noticed included). */
  get size(): number {
    return this.entries.size;
  }

  override async get(key: string): Promise<string | undefined> {
    return this.getSync(key);
  }

  override async set(key: string, value: string, ttlSeconds?: number): Promise<void> {
    const ttl = ttlSeconds ?? this.defaultTtlSeconds;
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: ttl === undefined ? Infinity : this.now() + ttl * 1000 });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  override async remove(key: string): Promise<void> {
    this.entries.delete(key);
  }

  /** Synchronous read, for callers on a hot path that know the store is in memory. */
  getSync(key: string): string | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    // Most recently used moves to the end: eviction takes from the front.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }
}
