import type { InMemoryTokenCacheStore } from '../../packages/identity-web/src/token-cache/in-memory-token-cache.store';
import { collectGarbage, verdict } from './stats';

/** The goal for memory, and how the run compares. */
const RESIDENT_BYTES_PER_USER_GOAL = 8_192;

/** Memory per signed-in user: process and heap growth, partition JSON and what the store holds. */
export interface BytesPerUser {
  rss: number;
  heap: number;
  partition: number;
  stored: number;
}

/**
 * Bytes per user of a population just seeded and warmed into `store`, against `memoryBefore`
 * taken on a clean heap before seeding (after GC).
 */
export function bytesPerUserOf(
  memoryBefore: NodeJS.MemoryUsage,
  users: number,
  partitionBytes: number,
  store: InMemoryTokenCacheStore,
): BytesPerUser {
  collectGarbage();
  const after = process.memoryUsage();
  return {
    rss: (after.rss - memoryBefore.rss) / users,
    heap: (after.heapUsed - memoryBefore.heapUsed) / users,
    partition: partitionBytes / users,
    stored: store.storedBytes / users,
  };
}

/** Prints section 3 of the bench: the memory figures at 100,000 users. */
export function printMemory(memory: BytesPerUser | undefined): void {
  console.log('\n3. Memory at 100,000 signed-in users (token cache store + hot index, after GC)\n');
  console.table([
    {
      'resident bytes / user': memory ? Math.round(memory.rss) : '—',
      'heap bytes / user': memory ? Math.round(memory.heap) : '—',
      'partition JSON bytes / user': memory ? Math.round(memory.partition) : '—',
      'stored (deflated) bytes / user': memory ? Math.round(memory.stored) : '—',
      goal: `resident ≤ ${RESIDENT_BYTES_PER_USER_GOAL.toLocaleString('en')}`,
      verdict: memory
        ? verdict(memory.rss <= RESIDENT_BYTES_PER_USER_GOAL)
        : 'not measured (run with --expose-gc)',
    },
  ]);
}
