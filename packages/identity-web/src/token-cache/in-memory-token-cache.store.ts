import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { TokenCacheStore } from './token-cache.store';

/**
 * Settings of {@link InMemoryTokenCacheStore}.
 *
 * @example
 * ```ts
 * const options: InMemoryTokenCacheStoreOptions = { maxEntries: 10_000 };
 * ```
 */
export interface InMemoryTokenCacheStoreOptions {
  /** Most partitions kept; the least recently used goes first. Default 1 000 000. */
  maxEntries?: number;
  /** Lifetime of a partition without `ttlSeconds` of its own, in seconds. Default: none. */
  defaultTtlSeconds?: number;
  /** Clock in milliseconds since the epoch; tests freeze it. Default `Date.now`. */
  now?: () => number;
  /**
   * Keep partitions deflated. Default `true`: a partition is read only when the hot index
   * misses (refresh, first call after the index dropped the user), and 100 000 users' JSON kept
   * as is costs several kilobytes each. The deflated bytes are kept as a one-byte string: buffers
   * that small would each be a separate native allocation, which fragments the process's memory
   * more than the deflated bytes weigh (measured with `npm run bench`).
   */
  compress?: boolean;
}

interface Entry {
  /** The partition JSON, or (compressing) its UTF-8 bytes deflated, one character per byte. */
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
  private readonly compress: boolean;

  constructor(options: InMemoryTokenCacheStoreOptions = {}) {
    super();
    this.maxEntries = Math.max(1, options.maxEntries ?? 1_000_000);
    this.defaultTtlSeconds = options.defaultTtlSeconds;
    this.now = options.now ?? Date.now;
    this.compress = options.compress ?? true;
  }

  /** Number of partitions held (expired ones not yet noticed included). */
  get size(): number {
    return this.entries.size;
  }

  /** Bytes of the partitions held: deflated bytes when compressing, else their UTF-8 length. */
  get storedBytes(): number {
    let bytes = 0;
    for (const { value } of this.entries.values()) {
      bytes += this.compress ? value.length : Buffer.byteLength(value, 'utf8');
    }
    return bytes;
  }

  override async get(key: string): Promise<string | undefined> {
    return this.getSync(key);
  }

  override async set(key: string, value: string, ttlSeconds?: number): Promise<void> {
    const ttl = ttlSeconds ?? this.defaultTtlSeconds;
    this.entries.delete(key);
    this.entries.set(key, {
      value: this.compress ? deflate(value) : value,
      expiresAt: ttl === undefined ? Infinity : this.now() + ttl * 1000,
    });
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
    return this.compress ? inflate(entry.value) : entry.value;
  }
}

function deflate(json: string): string {
  return deflateRawSync(Buffer.from(json, 'utf8')).toString('latin1');
}

function inflate(stored: string): string {
  return inflateRawSync(Buffer.from(stored, 'latin1')).toString('utf8');
}
