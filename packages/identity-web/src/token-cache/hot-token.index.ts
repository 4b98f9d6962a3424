import type { AccessToken } from '../token-acquisition/access-token';

/** MSAL renews access tokens this long before they expire; the index stops serving them then too. */
export const RENEWAL_WINDOW_MS = 300_000;

interface HotEntry {
  token: AccessToken;
  /** Milliseconds since the epoch after which the token must be renewed. */
  renewAt: number;
}

/**
 * In-process index of valid access tokens, so a cache hit costs a `Map` lookup instead of a
 * partition read, an MSAL client and MSAL's cache scan. Keyed by partition and by a sub-key
 * made of the scopes (sorted, lower-cased), claims, tenant and user flow
 * ({@link HotTokenIndex.subKey}). Bounded: when it holds more than `maxEntries` tokens, the
 * least recently used partition is dropped whole (its tokens are still in the token cache;
 * the next call reloads them through MSAL). Tokens leave the index 300 s before they expire,
 * as MSAL renews them.
 *
 * @example
 * ```ts
 * const index = new HotTokenIndex(100_000);
 * const key = HotTokenIndex.subKey(['user.read'], '', '', '');
 * index.set(partition, key, token);
 * index.get(partition, key); // token, until 300 s before token.expiresOn
 * ```
 */
export class HotTokenIndex {
  private readonly partitions = new Map<string, Map<string, HotEntry>>();
  private count = 0;

  constructor(
    private readonly maxEntries = 100_000,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * The sub-key of a request within a partition. Scope order and case do not matter, as they do
   * not for the identity provider.
   */
  static subKey(scopes: readonly string[], claims: string, tenant: string, userFlow: string): string {
    const scopeKey =
      scopes.length === 1
        ? scopes[0].toLowerCase()
        : scopes
            .map((s) => s.toLowerCase())
            .sort()
            .join(' ');
    return `${scopeKey}\n${claims}\n${tenant.toLowerCase()}\n${userFlow.toLowerCase()}`;
  }

  /** Number of tokens held. */
  get size(): number {
    return this.count;
  }

  /** A token still outside its renewal window, or `undefined`. */
  get(partition: string, subKey: string): AccessToken | undefined {
    const entries = this.partitions.get(partition);
    if (!entries) return undefined;
    const entry = entries.get(subKey);
    if (!entry) return undefined;
    if (entry.renewAt <= this.now()) {
      this.deleteEntry(partition, entries, subKey);
      return undefined;
    }
    // Most recently used partition moves to the end; eviction takes from the front.
    this.partitions.delete(partition);
    this.partitions.set(partition, entries);
    return entry.token;
  }

  /**
   * Remembers `token` until the earlier of `refreshOn` (when the identity provider asked for
   * an early refresh) and 300 s before it expires. A token already inside that window is not kept.
   */
  set(partition: string, subKey: string, token: AccessToken, refreshOn?: Date): void {
    let renewAt = token.expiresOn.getTime() - RENEWAL_WINDOW_MS;
    if (refreshOn && refreshOn.getTime() < renewAt) renewAt = refreshOn.getTime();
    let entries = this.partitions.get(partition);
    if (renewAt <= this.now()) {
      if (entries) this.deleteEntry(partition, entries, subKey);
      return;
    }
    if (entries) {
      this.partitions.delete(partition);
    } else {
      entries = new Map();
    }
    this.partitions.set(partition, entries);
    if (!entries.has(subKey)) this.count++;
    entries.set(subKey, { token, renewAt });
    this.evictOverflow(partition);
  }

  /** Forgets every token of a partition (sign-out, removed user). */
  evictPartition(partition: string): void {
    const entries = this.partitions.get(partition);
    if (!entries) return;
    this.count -= entries.size;
    this.partitions.delete(partition);
  }

  /** Forgets everything. */
  clear(): void {
    this.partitions.clear();
    this.count = 0;
  }

  private deleteEntry(partition: string, entries: Map<string, HotEntry>, subKey: string): void {
    if (!entries.delete(subKey)) return;
    this.count--;
    if (entries.size === 0) this.partitions.delete(partition);
  }

  private evictOverflow(keep: string): void {
    while (this.count > this.maxEntries) {
      const oldest = this.partitions.keys().next().value as string;
      if (oldest === keep) {
        // Only the partition just written is left: trim its oldest tokens instead.
        const entries = this.partitions.get(keep)!;
        const first = entries.keys().next().value as string;
        this.deleteEntry(keep, entries, first);
        continue;
      }
      this.evictPartition(oldest);
    }
  }
}
