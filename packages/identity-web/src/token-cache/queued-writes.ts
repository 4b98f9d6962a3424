import type { L1Cache } from './l1-cache';
import { mergePartitions } from './merge-partitions';

/** What a removed partition's key holds: a write of a copy read before the removal must not undo it. */
export const TOMBSTONE = '{"removed":true}';

/** A write the store did not take: a partition's JSON (`signIn`: it may overwrite a tombstone) or a removal. */
export type QueuedWrite = { json: string; ttlSeconds?: number; signIn?: boolean } | { removed: true };

/**
 * The store as replaying needs it: each call through its time-out and circuit breaker.
 *
 * @example
 * ```ts
 * const target: QueuedWritesTarget = { read, write, l1, publish };
 * ```
 */
export interface QueuedWritesTarget {
  /** The partition's JSON as stored (`undefined`: absent or undecodable); `ok: false` when the store did not answer. */
  read(partition: string): Promise<{ ok: true; json: string | undefined } | { ok: false }>;
  /** Stores the partition's JSON (or {@link TOMBSTONE}); `false` when the store did not take it. */
  write(partition: string, json: string, ttlSeconds: number | undefined): Promise<boolean>;
  readonly l1: L1Cache;
  /** Tells other instances the partition changed. */
  publish(partition: string): void;
}

/**
 * Writes made while the store was unreachable, one per partition (the latest wins), bounded, and
 * replayed when it answers again. A replayed write is merged with what the store holds (another
 * instance may have written meanwhile) and, unless it comes from a sign-in, dropped when the store
 * holds a tombstone: a partition another instance removed is not put back from an older copy.
 *
 * @example
 * ```ts
 * const queue = new QueuedWrites(10_000, target);
 * queue.add('user:abc', { json });
 * queue.replay(); // once the store answers
 * ```
 */
export class QueuedWrites {
  private readonly queue = new Map<string, QueuedWrite>();
  private replaying: Promise<void> | undefined;
  private droppedCount = 0;

  constructor(
    private readonly maxSize: number,
    private readonly target: QueuedWritesTarget,
  ) {}

  /** Writes waiting for the store to return. */
  get size(): number {
    return this.queue.size;
  }

  /** Writes dropped because the queue was full, since start. */
  get dropped(): number {
    return this.droppedCount;
  }

  /** Queues the partition's write in place of any queued before; dropped when the queue is full. */
  add(partition: string, write: QueuedWrite): void {
    if (!this.queue.has(partition) && this.queue.size >= this.maxSize) {
      this.droppedCount++;
      return;
    }
    this.queue.delete(partition);
    this.queue.set(partition, write);
  }

  /** Replays the queue in the background, unless a replay is already running. */
  replay(): void {
    this.replaying ??= this.replayAll().finally(() => (this.replaying = undefined));
  }

  /** Stops at the first call the store does not answer: the rest waits for the next replay. */
  private async replayAll(): Promise<void> {
    const target = this.target;
    for (const [partition, write] of [...this.queue]) {
      if (this.queue.get(partition) !== write) continue;
      if ('removed' in write) {
        if (!(await target.write(partition, TOMBSTONE, undefined))) return;
      } else {
        const current = await target.read(partition);
        if (!current.ok) return;
        let stored = current.json;
        if (stored === TOMBSTONE) {
          if (!write.signIn) {
            // Removed by another instance since this copy was read: dropped, not put back.
            if (this.queue.get(partition) === write) this.queue.delete(partition);
            target.l1.delete(partition);
            continue;
          }
          stored = undefined;
        }
        // Another instance may have written the partition meanwhile: keep its entries too.
        const json = mergePartitions(stored, write.json);
        if (!(await target.write(partition, json, write.ttlSeconds))) return;
        if (this.queue.get(partition) === write) target.l1.set(partition, json);
      }
      if (this.queue.get(partition) === write) this.queue.delete(partition);
      target.publish(partition);
    }
  }
}
