import type { AccessToken } from '../token-acquisition/access-token';

/** MSAL renews access tokens this long before they expire; the index stops serving them then too. */
export const RENEWAL_WINDOW_MS = 300_000;

interface HotEntry {
  token: AccessToken;
  /** Milliseconds since the epoch after which the token must be renewed. */
  renewAt: number;
}

/**
 * A partition's tokens: the first one inline (most partitions hold one token, and a hit then
 * reads one object), any others in `more`; and whether they were read since the evictor passed.
 */
interface Slot {
  subKey: string | undefined;
  token: AccessToken | undefined;
  renewAt: number;
  more: Map<string, HotEntry> | undefined;
  used: boolean;
}

/**
 * In-process index of valid access tokens, so a cache hit costs a `Map` lookup instead of a
 * partition read, an MSAL client and MSAL's cache scan. Keyed by partition and by a sub-key
 * made of the scopes (sorted, lower-cased), claims, tenant and user flow
 * ({@link HotTokenIndex.subKey}). Bounded: when it holds more than `maxEntries` tokens, a
 * partition not read recently is dropped whole (second-chance / CLOCK eviction, so a hit only
 * sets a flag instead of reordering a map of 100 000 entries; the dropped tokens are still in
 * the token cache and the next call reloads them through MSAL). Tokens leave the index 300 s
 * before they expire, as MSAL renews them.
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
  private readonly partitions = new Map<string, Slot>();
  private count = 0;

  constructor(
    private readonly maxEntries = 100_000,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * The sub-key of a request within a partition. Scope order and case do not matter, as they do
   * not for the identity provider. For one lower-case scope and no claims, tenant or user flow
   * (the common case) the key is the scope string itself: no string is built on a cache hit.
   */
  static subKey(scopes: readonly string[], claims: string, tenant: string, userFlow: string): string {
    const scopeKey =
      scopes.length === 1
        ? scopes[0].toLowerCase()
        : scopes
            .map((s) => s.toLowerCase())
            .sort()
            .join(' ');
    if (!claims && !tenant && !userFlow) return scopeKey;
    // Scopes never contain a line feed, so composite keys cannot collide with plain ones.
    return `${scopeKey}\n${claims}\n${tenant.toLowerCase()}\n${userFlow.toLowerCase()}`;
  }

  /** Number of tokens held. */
  get size(): number {
    return this.count;
  }

  /** A token still outside its renewal window, or `undefined`. */
  get(partition: string, subKey: string): AccessToken | undefined {
    const slot = this.partitions.get(partition);
    if (slot === undefined) return undefined;
    let token: AccessToken | undefined;
    let renewAt: number;
    if (slot.subKey === subKey) {
      token = slot.token;
      renewAt = slot.renewAt;
    } else {
      const entry = slot.more?.get(subKey);
      if (entry === undefined) return undefined;
      token = entry.token;
      renewAt = entry.renewAt;
    }
    if (renewAt <= this.now()) {
      this.deleteEntry(partition, slot, subKey);
      return undefined;
    }
    if (!slot.used) slot.used = true;
    return token;
  }

  /**
   * Remembers `token` until the earlier of `refreshOn` (when the identity provider asked for
   * an early refresh) and 300 s before it expires. A token already inside that window is not kept.
   */
  set(partition: string, subKey: string, token: AccessToken, refreshOn?: Date): void {
    let renewAt = token.expiresOn.getTime() - RENEWAL_WINDOW_MS;
    if (refreshOn && refreshOn.getTime() < renewAt) renewAt = refreshOn.getTime();
    let slot = this.partitions.get(partition);
    if (renewAt <= this.now()) {
      if (slot) this.deleteEntry(partition, slot, subKey);
      return;
    }
    if (!slot) {
      slot = { subKey, token, renewAt, more: undefined, used: false };
      this.partitions.set(partition, slot);
      this.count++;
    } else if (slot.subKey === subKey || slot.subKey === undefined) {
      if (slot.subKey === undefined) this.count++;
      slot.subKey = subKey;
      slot.token = token;
      slot.renewAt = renewAt;
    } else {
      slot.more ??= new Map();
      if (!slot.more.has(subKey)) this.count++;
      slot.more.set(subKey, { token, renewAt });
    }
    this.evictOverflow(partition);
  }

  /** Forgets every token of a partition (sign-out, removed user). */
  evictPartition(partition: string): void {
    const slot = this.partitions.get(partition);
    if (!slot) return;
    this.count -= sizeOf(slot);
    this.partitions.delete(partition);
  }

  /** Forgets everything. */
  clear(): void {
    this.partitions.clear();
    this.count = 0;
  }

  private deleteEntry(partition: string, slot: Slot, subKey: string): void {
    if (slot.subKey === subKey) {
      slot.subKey = undefined;
      slot.token = undefined;
    } else if (!slot.more?.delete(subKey)) {
      return;
    }
    this.count--;
    if (sizeOf(slot) === 0) this.partitions.delete(partition);
  }

  private evictOverflow(keep: string): void {
    while (this.count > this.maxEntries) {
      const [oldest, slot] = this.partitions.entries().next().value as [string, Slot];
      if (oldest === keep && this.partitions.size === 1) {
        // Only the partition just written is left: trim its other tokens instead.
        const first = slot.subKey ?? (slot.more!.keys().next().value as string);
        this.deleteEntry(keep, slot, first);
        continue;
      }
      if (slot.used || oldest === keep) {
        // Second chance: read since the last pass (or just written); clear and move to the back.
        slot.used = false;
        this.partitions.delete(oldest);
        this.partitions.set(oldest, slot);
        continue;
      }
      this.evictPartition(oldest);
    }
  }
}

function sizeOf(slot: Slot): number {
  return (slot.subKey === undefined ? 0 : 1) + (slot.more?.size ?? 0);
}
