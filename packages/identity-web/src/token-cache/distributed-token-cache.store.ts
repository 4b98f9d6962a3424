import { randomBytes } from 'node:crypto';
import { CircuitBreaker, type CircuitState } from './circuit-breaker';
import type { DistributedTokenCacheStoreOptions, TokenCacheHealth } from './distributed-token-cache.options';
import { L1Cache } from './l1-cache';
import { PartitionLifetime } from './partition-lifetime';
import { QueuedWrites, TOMBSTONE } from './queued-writes';
import { TokenCacheCodec } from './token-cache.codec';
import { TokenCacheStore } from './token-cache.store';
import { withTimeout } from './with-timeout';

/**
 * The token cache over a distributed store (Redis, PostgreSQL... through cache-manager): keys
 * namespaced by application, values compressed and encrypted, an in-process L1 kept coherent
 * between instances by an invalidation bus, and the store called with a time-out behind a circuit
 * breaker, so an outage degrades to L1 (and a sign-in round trip for users not in it) instead of
 * errors. Writes made while the store is down are queued (bounded) and replayed, merged with what
 * the store holds, when it returns.
 *
 * A removal (sign-out) leaves a tombstone under the partition's key for the partition's lifetime.
 * Only a sign-in writes over it: every other write (a token written back after a refresh, the
 * sliding rewrite, a queued write replayed) first reads the key and is dropped when it finds a
 * tombstone, or is queued when that read fails. So no instance puts back, from an older copy
 * (L1, a request in flight, its write queue), a partition another instance removed.
 *
 * Lifetimes: see {@link PartitionLifetime}.
 *
 * @example
 * ```ts
 * const store = new DistributedTokenCacheStore(new CacheManagerTokenCacheStore(cache), {
 *   namespace: `iw:${clientId}`,
 *   codec: new TokenCacheCodec([{ id: 'k1', key }]),
 * });
 * ```
 */
export class DistributedTokenCacheStore extends TokenCacheStore {
  /** Identifies this instance's messages on the bus. */
  readonly instanceId = randomBytes(8).toString('base64url');
  /** Resolves once the bus listens (immediately without a bus). */
  readonly ready: Promise<void>;
  private readonly l1: L1Cache;
  private readonly queue: QueuedWrites;
  private readonly listeners: Array<(partition: string | null) => void> = [];
  private readonly warnedUndecodable = new Set<string>();
  private readonly breaker: CircuitBreaker;
  private readonly codec: TokenCacheCodec;
  private readonly now: () => number;
  private readonly timeoutMs: number;
  private readonly lifetime: PartitionLifetime;
  private probeTimer: NodeJS.Timeout | undefined;
  private readonly maintenanceTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly l2: TokenCacheStore,
    private readonly options: DistributedTokenCacheStoreOptions,
  ) {
    super();
    this.codec = options.codec ?? new TokenCacheCodec();
    this.now = options.now ?? Date.now;
    this.timeoutMs = options.timeoutMs ?? 250;
    this.lifetime = new PartitionLifetime(options.userLifetimeSeconds, this.now);
    this.l1 = new L1Cache(options.l1 ?? { maxEntries: 10_000, lifetimeMs: 30_000 }, this.now);
    this.queue = new QueuedWrites(options.writeQueueSize ?? 10_000, {
      read: (partition) => this.read(partition),
      write: (partition, json, ttlSeconds) => this.put(partition, json, ttlSeconds),
      l1: this.l1,
      publish: (partition) => this.publish(partition),
    });
    this.breaker = new CircuitBreaker({
      ...(options.breaker ?? { failures: 3, openMs: 1000 }),
      now: this.now,
      onChange: (state, cause) => this.circuitChanged(state, cause),
    });
    const maintenance = options.maintenance;
    if (maintenance) {
      this.maintenanceTimer = setInterval(() => void this.maintain(), maintenance.everyMs);
      this.maintenanceTimer.unref();
    }
    // Connect now rather than on the first request, whose time-out would then include it.
    const warmUp = withTimeout(l2.get(this.storageKey('probe')), 5_000).catch(() => undefined);
    const listening = options.bus
      ? options.bus
          .start((message) => this.received(message))
          .catch((error: unknown) => {
            this.options.logger?.warn(
              `The token cache invalidation channel could not start (${describe(error)}): other instances' changes reach this one only when its L1 entries expire.`,
            );
          })
      : Promise.resolve();
    this.ready = Promise.all([warmUp, listening]).then(() => undefined);
  }

  /** How long L1 trusts a partition without an invalidation, in milliseconds; `undefined` when L1 is off. */
  get l1LifetimeMs(): number | undefined {
    return this.l1.lifetimeMs;
  }

  /** Partitions held in L1. */
  get l1Size(): number {
    return this.l1.size;
  }

  /** Calls `listener` when another instance changed a partition (`null`: possibly any partition). */
  onInvalidate(listener: (partition: string | null) => void): void {
    this.listeners.push(listener);
  }

  /** The key `partition` has in the store. */
  storageKey(partition: string): string {
    return `${this.options.namespace}:${partition}`;
  }

  override async get(partition: string): Promise<string | undefined> {
    const cached = this.l1.get(partition, false);
    if (cached !== undefined) return cached;
    return this.load(partition);
  }

  /** The partition as the store holds it now (L1 skipped), for a read-merge-write; L1 when the store is down. */
  async getForUpdate(partition: string): Promise<string | undefined> {
    return this.load(partition);
  }

  /**
   * Writes the partition unless it was removed (a tombstone is stored): then the write is dropped.
   * When the store cannot be read to know, the write is queued and that check made on replay.
   */
  override async set(partition: string, json: string, ttlSeconds?: number): Promise<void> {
    const current = await this.read(partition);
    if (current.ok && current.json === TOMBSTONE) {
      this.l1.delete(partition);
      return;
    }
    this.l1.set(partition, json);
    if (!current.ok) this.queue.add(partition, { json, ttlSeconds });
    else await this.write(partition, json, ttlSeconds, false);
  }

  /** Writes the partition of a new sign-in, over a removed partition's tombstone too. */
  async setFromSignIn(partition: string, json: string, ttlSeconds?: number): Promise<void> {
    this.l1.set(partition, json);
    await this.write(partition, json, ttlSeconds, true);
  }

  /** Removes the partition, leaving a tombstone that only a sign-in writes over. */
  override async remove(partition: string): Promise<void> {
    this.l1.delete(partition);
    if (!(await this.put(partition, TOMBSTONE, undefined))) this.queue.add(partition, { removed: true });
    this.publish(partition);
  }

  /** The store's health: what a readiness probe reports. */
  health(): TokenCacheHealth {
    const circuit = this.breaker.state;
    return {
      status: circuit === 'closed' ? 'up' : 'down',
      circuit,
      queuedWrites: this.queue.size,
      droppedWrites: this.queue.dropped,
    };
  }

  /** Runs the store's maintenance now (it also runs on its own schedule); no-op without any. */
  async maintain(): Promise<void> {
    const maintenance = this.options.maintenance;
    if (maintenance) await this.call(() => maintenance.run());
  }

  /** Stops the bus and the connections it opened itself (Nest calls it at shutdown). */
  async close(): Promise<void> {
    clearInterval(this.probeTimer);
    clearInterval(this.maintenanceTimer);
    await this.options.bus?.close().catch(() => undefined);
    if (!this.options.closeStore) return;
    const l2 = this.l2 as TokenCacheStore & { close?: () => Promise<void> };
    await l2.close?.().catch(() => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }

  // ---- Internals --------------------------------------------------------------------------

  private async write(partition: string, json: string, ttlSeconds: number | undefined, signIn: boolean) {
    if (!(await this.put(partition, json, ttlSeconds)))
      this.queue.add(partition, { json, ttlSeconds, signIn });
    this.publish(partition);
  }

  /** Stores the partition's JSON, encoded; `false` when the store did not take it. */
  private async put(partition: string, json: string, ttlSeconds: number | undefined): Promise<boolean> {
    const key = this.storageKey(partition);
    const stored = this.codec.encode(key, json, Math.floor(this.now() / 1000));
    const ttl = this.lifetime.ttlSeconds(partition, json, ttlSeconds);
    return (await this.call(() => this.l2.set(key, stored, ttl))).ok;
  }

  /** The partition's JSON as stored (`undefined`: absent or undecodable); `ok: false` when the store did not answer. */
  private async read(partition: string): Promise<{ ok: true; json: string | undefined } | { ok: false }> {
    const key = this.storageKey(partition);
    const current = await this.call(() => this.l2.get(key));
    if (!current.ok) return current;
    return {
      ok: true,
      json: current.value === undefined ? undefined : this.codec.decode(key, current.value)?.json,
    };
  }

  private async load(partition: string): Promise<string | undefined> {
    const key = this.storageKey(partition);
    const read = await this.call(() => this.l2.get(key));
    // The store is down: what L1 holds, however old, beats a sign-in round trip.
    if (!read.ok) return this.l1.get(partition, true);
    if (read.value === undefined) {
      this.l1.delete(partition);
      return undefined;
    }
    const decoded = this.codec.decode(key, read.value);
    if (decoded?.json === TOMBSTONE) {
      this.l1.delete(partition);
      return undefined;
    }
    if (!decoded) {
      this.l1.delete(partition);
      if (!this.warnedUndecodable.has(key) && this.warnedUndecodable.size < 10_000) {
        this.warnedUndecodable.add(key);
        this.options.logger?.warn(
          `The token cache value of a ${partition.split(':')[0]} partition does not decrypt or parse (a key no longer in IdentityWeb:TokenCache:EncryptionKeys, or a value not written for this key): treated as absent.`,
        );
      }
      return undefined;
    }
    this.l1.set(partition, decoded.json);
    if (this.lifetime.shouldSlide(partition, decoded.writtenAt)) {
      // Sliding expiry: rewritten at most once a day, not on every read.
      void this.set(partition, decoded.json).catch(() => undefined);
    }
    return decoded.json;
  }

  /** Runs one store call with the time-out, through the breaker. */
  private async call<T>(operation: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false }> {
    if (!this.breaker.tryAcquire()) return { ok: false };
    try {
      const value = await withTimeout(operation(), this.timeoutMs);
      this.breaker.success();
      // Writes queued by a failure that did not open the circuit: replay them now it answers.
      if (this.queue.size > 0) this.queue.replay();
      return { ok: true, value };
    } catch (error) {
      this.breaker.failure(error);
      return { ok: false };
    }
  }

  private circuitChanged(state: CircuitState, cause: unknown): void {
    const logger = this.options.logger;
    if (state === 'open' && !this.probeTimer) {
      logger?.warn(
        `The token cache store is unreachable (${describe(cause)}): serving from memory, queuing writes, probing every ${this.options.breaker?.openMs ?? 1000} ms.`,
      );
      // Probe even without traffic, so queued writes are replayed as soon as the store is back.
      this.probeTimer = setInterval(() => void this.call(() => this.l2.get(this.storageKey('probe'))), 250);
      this.probeTimer.unref();
    } else if (state === 'closed') {
      clearInterval(this.probeTimer);
      this.probeTimer = undefined;
      logger?.log(`The token cache store is reachable again: replaying ${this.queue.size} queued writes.`);
      this.queue.replay();
    }
  }

  private publish(partition: string): void {
    const bus = this.options.bus;
    if (!bus) return;
    void withTimeout(bus.publish(`${this.instanceId} ${partition}`), this.timeoutMs).catch(() => undefined);
  }

  private received(message: string | null): void {
    let partition: string | null = null;
    if (message !== null) {
      const space = message.indexOf(' ');
      if (space < 0 || message.slice(0, space) === this.instanceId) return;
      partition = message.slice(space + 1);
    }
    this.l1.distrust(partition);
    for (const listener of this.listeners) listener(partition);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
