/** One call in progress, shared by everyone who asked for the same key meanwhile. */
export interface Flight<T> {
  readonly key: string;
  /** The partition the call reads and writes; see {@link SingleFlight.discardPartition}. */
  readonly partition: string;
  readonly promise: Promise<T>;
  /** Set when the partition was removed while the call ran: its results must not be kept. */
  discarded: boolean;
}

/**
 * Coalesces concurrent calls: while a call for a key is in progress, later callers for the same
 * key get the same promise instead of starting their own. Used so that a thousand requests
 * finding the same expired token cause one token request, across requests and for every flow
 * (MSAL coalesces only silent calls, and only per client instance).
 *
 * @example
 * ```ts
 * const flights = new SingleFlight<AccessToken>();
 * const token = await flights.run(key, partition, (flight) => acquire(flight));
 * ```
 */
export class SingleFlight<T> {
  private readonly inFlight = new Map<string, Flight<T>>();

  /** Number of calls in progress. */
  get size(): number {
    return this.inFlight.size;
  }

  /** Joins the call in progress for `key`, or starts `start` and shares it until it settles. */
  run(key: string, partition: string, start: (flight: Flight<T>) => Promise<T>): Promise<T> {
    const existing = this.inFlight.get(key);
    if (existing) return existing.promise;
    const flight: { -readonly [K in keyof Flight<T>]: Flight<T>[K] } = {
      key,
      partition,
      discarded: false,
      promise: undefined as unknown as Promise<T>,
    };
    flight.promise = Promise.resolve()
      .then(() => start(flight))
      .finally(() => {
        if (this.inFlight.get(key) === flight) this.inFlight.delete(key);
      });
    this.inFlight.set(key, flight);
    return flight.promise;
  }

  /**
   * Marks the calls in progress on `partition` as discarded (their results are returned to
   * their callers but must not be cached) and lets later callers start afresh.
   */
  discardPartition(partition: string): void {
    for (const [key, flight] of this.inFlight) {
      if (flight.partition === partition) {
        flight.discarded = true;
        this.inFlight.delete(key);
      }
    }
  }
}
