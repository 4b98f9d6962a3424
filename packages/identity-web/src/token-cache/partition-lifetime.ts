const DAY_SECONDS = 86_400;

/**
 * How long a stored partition lives. A user partition lives `userLifetimeSeconds` plus a day
 * after its last write, and a read more than a day after the last write rewrites it, so it never
 * expires sooner than `userLifetimeSeconds` after its last use. App and on-behalf-of partitions
 * live as long as their longest-lived token.
 *
 * @example
 * ```ts
 * const lifetime = new PartitionLifetime(14 * 86_400, Date.now);
 * lifetime.ttlSeconds('user:abc', json, undefined); // 15 days
 * ```
 */
export class PartitionLifetime {
  /** A user partition read this many seconds after its last write is rewritten (at most a day). */
  private readonly slideAfterSeconds: number;

  constructor(
    private readonly userLifetimeSeconds = 14 * DAY_SECONDS,
    private readonly now: () => number,
  ) {
    this.slideAfterSeconds = Math.min(DAY_SECONDS, Math.ceil(userLifetimeSeconds / 14));
  }

  /** Lifetime of a stored partition, in seconds (`given`: what the caller asked for, if anything). */
  ttlSeconds(partition: string, json: string, given: number | undefined): number {
    if (partition.startsWith('user:')) return this.userLifetimeSeconds + this.slideAfterSeconds;
    const lastExpiry = latestExpiry(json);
    const untilLast = lastExpiry === undefined ? undefined : lastExpiry - Math.floor(this.now() / 1000) + 60;
    return Math.max(60, given ?? 0, untilLast ?? (given === undefined ? 3600 : 0));
  }

  /** Whether a partition written at `writtenAt` (seconds) is due for its sliding rewrite: user partitions only. */
  shouldSlide(partition: string, writtenAt: number): boolean {
    return partition.startsWith('user:') && this.now() / 1000 - writtenAt > this.slideAfterSeconds;
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
