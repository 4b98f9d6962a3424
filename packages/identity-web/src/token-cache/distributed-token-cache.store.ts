import { randomBytes } from 'node:crypto';
import { CircuitBreaker, type CircuitState } from './circuit-breaker';
import type { TokenCacheInvalidationBus } from './invalidation-bus';
import { mergePartitions } from './merge-partitions';
import { TokenCacheCodec } from './token-cache.codec';
import { TokenCacheStore } from './token-cache.store';

/**
 * Where messages of a {@link DistributedTokenCacheStore} go (Nest's `Logger` fits).
 *
 * @example
 * ```ts
 * const logger: TokenCacheLogger = new Logger('TokenCache');
 * ```
 */
export interface TokenCacheLogger {
  log(message: string): void;
  warn(message: string): void;
}

/**
 * Settings of a {@link DistributedTokenCacheStore}.
 *
 * @example
 * ```ts
 * const options: DistributedTokenCacheStoreOptions = { namespace: `iw:${clientId}`, timeoutMs: 250 };
 * ```
 */
export interface DistributedTokenCacheStoreOptions {
  /** Prefix of every storage key, `<keyPrefix>:<client id>`: two apps can share one store. */
  namespace: string;
  /** Compresses and (with keys) encrypts values. Default: compression only. */
  codec?: TokenCacheCodec;
  /** User partitions live at least this long after their last read, in seconds. Default 14 days. */
  userLifetimeSeconds?: number;
  /** The in-process L1; `false` turns it off. Default 10 000 partitions trusted for 30 s. */
  l1?: { maxEntries: number; lifetimeMs: number } | false;
  /** Time-out of each store call, in milliseconds. Default 250. */
  timeoutMs?: number;
  /** Writes queued while the store is unreachable. Default 10 000. */
  writeQueueSize?: number;
  /** Consecutive failures opening the circuit, and how long it stays open. Default 3 and 1 000 ms. */
  breaker?: { failures: number; openMs: number };
  /** Tells other instances which partitions changed. Default: none (one instance). */
  bus?: TokenCacheInvalidationBus;
  logger?: TokenCacheLogger;
  /** Work to run every `everyMs` while the store is open (removing expired rows where the store does not). */
  maintenance?: { everyMs: number; run: () => Promise<void> };
  /** Close the store's connections in {@link DistributedTokenCacheStore.close}: only for a store built from configuration, never the app's own. */
  closeStore?: boolean;
  now?: () => number;
}

/**
 * The store's health, for a readiness probe.
 *
 * @example
 * ```ts
 * const health: TokenCacheHealth = store.health(); // { status: 'up', circuit: 'closed', queuedWrites: 0, droppedWrites: 0 }
 * ```
 */
export interface TokenCacheHealth {
  /** `up` while the store answers; `down` while the circuit is open or half-open. */
  status: 'up' | 'down';
  circuit: CircuitState;
  /** Writes waiting for the store to return. */
  queuedWrites: number;
  /** Writes dropped because the queue was full, since start. */
  droppedWrites: number;
}

interface L1Entry {
  json: string;
  trustedUntil: number;
}

type QueuedWrite = { json: string; ttlSeconds?: number; signIn?: boolean } | { removed: true };

/** What a removed partition's key holds: a write of a copy read before the removal must not undo it. */
const TOMBSTONE = '{"removed":true}';

const DAY_SECONDS = 86_400;

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
 * Lifetimes: a user partition lives `userLifetimeSeconds` plus a day after its last write, and a
 * read more than a day after the last write rewrites it, so it never expires sooner than
 * `userLifetimeSeconds` after its last use. App and on-behalf-of partitions live as long as their
 * longest-lived token.
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
  private readonly l1 = new Map<string, L1Entry>();
  private readonly queue = new Map<string, QueuedWrite>();
  private readonly listeners: Array<(partition: string | null) => void> = [];
  private readonly warnedUndecodable = new Set<string>();
  private readonly breaker: CircuitBreaker;
  private readonly codec: TokenCacheCodec;
  private readonly now: () => number;
  private readonly timeoutMs: number;
  private readonly queueSize: number;
  private readonly userLifetimeSeconds: number;
  private readonly slideAfterSeconds: number;
  private readonly l1Settings: { maxEntries: number; lifetimeMs: number } | false;
  private probeTimer: NodeJS.Timeout | undefined;
  private readonly maintenanceTimer: NodeJS.Timeout | undefined;
  private replaying: Promise<void> | undefined;
  private dropped = 0;

  constructor(
    readonly l2: TokenCacheStore,
    private readonly options: DistributedTokenCacheStoreOptions,
  ) {
    super();
    this.codec = options.codec ?? new TokenCacheCodec();
    this.now = options.now ?? Date.now;
    this.timeoutMs = options.timeoutMs ?? 250;
    this.queueSize = options.writeQueueSize ?? 10_000;
    this.userLifetimeSeconds = options.userLifetimeSeconds ?? 14 * DAY_SECONDS;
    this.slideAfterSeconds = Math.min(DAY_SECONDS, Math.ceil(this.userLifetimeSeconds / 14));
    this.l1Settings = options.l1 ?? { maxEntries: 10_000, lifetimeMs: 30_000 };
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
    return this.l1Settings ? this.l1Settings.lifetimeMs : undefined;
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
    const cached = this.fromL1(partition, false);
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
    const key = this.storageKey(partition);
    const current = await this.call(() => this.l2.get(key));
    if (current.ok && current.value !== undefined && this.isTombstone(key, current.value)) {
      this.l1.delete(partition);
      return;
    }
    this.toL1(partition, json);
    if (!current.ok) this.enqueue(partition, { json, ttlSeconds });
    else await this.write(partition, json, ttlSeconds, false);
  }

  /** Writes the partition of a new sign-in, over a removed partition's tombstone too. */
  async setFromSignIn(partition: string, json: string, ttlSeconds?: number): Promise<void> {
    this.toL1(partition, json);
    await this.write(partition, json, ttlSeconds, true);
  }

  /** Removes the partition, leaving a tombstone that only a sign-in writes over. */
  override async remove(partition: string): Promise<void> {
    this.l1.delete(partition);
    const key = this.storageKey(partition);
    const tombstone = this.codec.encode(key, TOMBSTONE, Math.floor(this.now() / 1000));
    const removed = await this.call(() =>
      this.l2.set(key, tombstone, this.ttlOf(partition, TOMBSTONE, undefined)),
    );
    if (!removed.ok) this.enqueue(partition, { removed: true });
    this.publish(partition);
  }

  /** The store's health: what a readiness probe reports. */
  health(): TokenCacheHealth {
    const circuit = this.breaker.state;
    return {
      status: circuit === 'closed' ? 'up' : 'down',
      circuit,
      queuedWrites: this.queue.size,
      droppedWrites: this.dropped,
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
    const key = this.storageKey(partition);
    const stored = this.codec.encode(key, json, Math.floor(this.now() / 1000));
    const written = await this.call(() => this.l2.set(key, stored, this.ttlOf(partition, json, ttlSeconds)));
    if (!written.ok) this.enqueue(partition, { json, ttlSeconds, signIn });
    this.publish(partition);
  }

  private isTombstone(key: string, value: string): boolean {
    return this.codec.decode(key, value)?.json === TOMBSTONE;
  }

  private async load(partition: string): Promise<string | undefined> {
    const key = this.storageKey(partition);
    const read = await this.call(() => this.l2.get(key));
    // The store is down: what L1 holds, however old, beats a sign-in round trip.
    if (!read.ok) return this.fromL1(partition, true);
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
    this.toL1(partition, decoded.json);
    if (partition.startsWith('user:') && this.now() / 1000 - decoded.writtenAt > this.slideAfterSeconds) {
      // Sliding expiry: rewritten at most once a day, not on every read.
      void this.set(partition, decoded.json).catch(() => undefined);
    }
    return decoded.json;
  }

  private fromL1(partition: string, evenStale: boolean): string | undefined {
    if (!this.l1Settings) return undefined;
    const entry = this.l1.get(partition);
    if (!entry) return undefined;
    if (!evenStale && entry.trustedUntil <= this.now()) return undefined;
    this.l1.delete(partition);
    this.l1.set(partition, entry);
    return entry.json;
  }

  private toL1(partition: string, json: string): void {
    if (!this.l1Settings) return;
    this.l1.delete(partition);
    this.l1.set(partition, { json, trustedUntil: this.now() + this.l1Settings.lifetimeMs });
    while (this.l1.size > this.l1Settings.maxEntries) this.l1.delete(this.l1.keys().next().value as string);
  }

  /** Lifetime of a stored partition, in seconds. */
  private ttlOf(partition: string, json: string, given: number | undefined): number {
    if (partition.startsWith('user:')) return this.userLifetimeSeconds + this.slideAfterSeconds;
    const lastExpiry = latestExpiry(json);
    const untilLast = lastExpiry === undefined ? undefined : lastExpiry - Math.floor(this.now() / 1000) + 60;
    return Math.max(60, given ?? 0, untilLast ?? (given === undefined ? 3600 : 0));
  }

  /** Runs one store call with the time-out, through the breaker. */
  private async call<T>(operation: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false }> {
    if (!this.breaker.tryAcquire()) return { ok: false };
    try {
      const value = await withTimeout(operation(), this.timeoutMs);
      this.breaker.success();
      // Writes queued by a failure that did not open the circuit: replay them now it answers.
      if (this.queue.size > 0) this.replaying ??= this.replay().finally(() => (this.replaying = undefined));
      return { ok: true, value };
    } catch (error) {
      this.breaker.failure(error);
      return { ok: false };
    }
  }

  private enqueue(partition: string, write: QueuedWrite): void {
    if (!this.queue.has(partition) && this.queue.size >= this.queueSize) {
      this.dropped++;
      return;
    }
    this.queue.delete(partition);
    this.queue.set(partition, write);
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
      this.replaying ??= this.replay().finally(() => (this.replaying = undefined));
    }
  }

  private async replay(): Promise<void> {
    for (const [partition, write] of [...this.queue]) {
      if (this.queue.get(partition) !== write) continue;
      const key = this.storageKey(partition);
      if ('removed' in write) {
        const tombstone = this.codec.encode(key, TOMBSTONE, Math.floor(this.now() / 1000));
        const ttl = this.ttlOf(partition, TOMBSTONE, undefined);
        if (!(await this.call(() => this.l2.set(key, tombstone, ttl))).ok) return;
      } else {
        // Another instance may have written the partition meanwhile: keep its entries too.
        const current = await this.call(() => this.l2.get(key));
        if (!current.ok) return;
        let stored = current.value === undefined ? undefined : this.codec.decode(key, current.value)?.json;
        if (stored === TOMBSTONE) {
          if (!write.signIn) {
            // Removed by another instance since this copy was read: dropped, not put back.
            if (this.queue.get(partition) === write) this.queue.delete(partition);
            this.l1.delete(partition);
            continue;
          }
          stored = undefined;
        }
        const json = mergePartitions(stored, write.json);
        const value = this.codec.encode(key, json, Math.floor(this.now() / 1000));
        const ttl = this.ttlOf(partition, json, write.ttlSeconds);
        if (!(await this.call(() => this.l2.set(key, value, ttl))).ok) return;
        if (this.queue.get(partition) === write) this.toL1(partition, json);
      }
      if (this.queue.get(partition) === write) this.queue.delete(partition);
      this.publish(partition);
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
      const entry = this.l1.get(partition);
      // No longer trusted, but kept: should the store be down on the next read, it beats nothing.
      if (entry) entry.trustedUntil = 0;
    } else {
      for (const entry of this.l1.values()) entry.trustedUntil = 0;
    }
    for (const listener of this.listeners) listener(partition);
  }
}

/** The latest `expires_on` (seconds) of any token in a serialized MSAL cache. */
function latestExpiry(json: string): number | undefined {
  let latest: number | undefined;
  for (const match of json.matchAll(/"expires_on":"?(\d+)"?/g)) {
    const at = Number(match[1]);
    if (latest === undefined || at > latest) latest = at;
  }
  return latest;
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    // Rejected after the poll phase: when a busy event loop runs the timer late, an answer that
    // arrived meanwhile is read first and wins, instead of a time-out the store did not cause.
    timer = setTimeout(() => setImmediate(() => reject(new Error(`no answer within ${ms} ms`))), ms);
  });
  // The call may still fail after the time-out: nobody waits for it then.
  promise.catch(() => undefined);
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
