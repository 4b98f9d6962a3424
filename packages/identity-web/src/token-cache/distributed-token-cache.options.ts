import type { CircuitState } from './circuit-breaker';
import type { TokenCacheInvalidationBus } from './invalidation-bus';
import type { L1Settings } from './l1-cache';
import type { TokenCacheCodec } from './token-cache.codec';

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
  l1?: L1Settings | false;
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
