/**
 * Settings of an {@link L1Cache}: how many partitions it holds and how long it trusts each.
 *
 * @example
 * ```ts
 * const settings: L1Settings = { maxEntries: 10_000, lifetimeMs: 30_000 };
 * ```
 */
export interface L1Settings {
  maxEntries: number;
  lifetimeMs: number;
}

interface L1Entry {
  json: string;
  trustedUntil: number;
}

/**
 * The in-process copy of recently used partitions in front of a distributed store: bounded
 * (least recently used first out), each entry trusted for a lifetime or until another instance
 * says it changed, and kept past that for when the store is down.
 *
 * @example
 * ```ts
 * const l1 = new L1Cache({ maxEntries: 10_000, lifetimeMs: 30_000 }, Date.now);
 * l1.set('user:abc', json);
 * l1.get('user:abc', false); // json, for 30 s
 * ```
 */
export class L1Cache {
  private readonly entries = new Map<string, L1Entry>();

  /** `settings` `false` turns L1 off: it then holds nothing. */
  constructor(
    private readonly settings: L1Settings | false,
    private readonly now: () => number,
  ) {}

  /** How long a partition is trusted without an invalidation, in milliseconds; `undefined` when off. */
  get lifetimeMs(): number | undefined {
    return this.settings ? this.settings.lifetimeMs : undefined;
  }

  /** Partitions held. */
  get size(): number {
    return this.entries.size;
  }

  /** The partition while trusted, or however old with `evenStale`; marks it recently used. */
  get(partition: string, evenStale: boolean): string | undefined {
    if (!this.settings) return undefined;
    const entry = this.entries.get(partition);
    if (!entry) return undefined;
    if (!evenStale && entry.trustedUntil <= this.now()) return undefined;
    this.entries.delete(partition);
    this.entries.set(partition, entry);
    return entry.json;
  }

  /** Holds the partition, trusted for the lifetime, evicting the least recently used past the bound. */
  set(partition: string, json: string): void {
    if (!this.settings) return;
    this.entries.delete(partition);
    this.entries.set(partition, { json, trustedUntil: this.now() + this.settings.lifetimeMs });
    while (this.entries.size > this.settings.maxEntries) {
      this.entries.delete(this.entries.keys().next().value as string);
    }
  }

  delete(partition: string): void {
    this.entries.delete(partition);
  }

  /**
   * Stops trusting the partition (`null`: every partition). Kept, not deleted: should the store be
   * down on the next read, it beats nothing.
   */
  distrust(partition: string | null): void {
    if (partition === null) {
      for (const entry of this.entries.values()) entry.trustedUntil = 0;
      return;
    }
    const entry = this.entries.get(partition);
    if (entry) entry.trustedUntil = 0;
  }
}
