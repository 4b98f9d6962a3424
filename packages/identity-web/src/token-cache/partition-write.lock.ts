/**
 * Serialises the read-merge-write of a cache partition within the process: operations on one
 * key run one after another, in call order; operations on different keys do not wait for each
 * other. A key is held in the map only while operations on it are queued or running, so the
 * map's size is bounded by the number of partitions being written at that moment.
 *
 * Two refreshes for one user (different scopes) each load the partition, get a token and write
 * the partition back; without this, both could read the same stored version and the second
 * write would drop the first one's token (and its rotated refresh token).
 *
 * @example
 * ```ts
 * const lock = new PartitionWriteLock();
 * await lock.run(partition, async () => {
 *   const current = await store.get(partition);
 *   await store.set(partition, merge(current, mine));
 * });
 * ```
 */
export class PartitionWriteLock {
  private readonly tails = new Map<string, Promise<void>>();

  /** Number of partitions with a write queued or running. */
  get size(): number {
    return this.tails.size;
  }

  /** Runs `operation` once every operation started earlier on `key` has settled. */
  async run<T>(key: string, operation: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key);
    let release!: () => void;
    const done = new Promise<void>((resolve) => (release = resolve));
    const tail = previous ? previous.then(() => done) : done;
    this.tails.set(key, tail);
    try {
      if (previous) await previous;
      return await operation();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
