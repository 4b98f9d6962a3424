import { createClient } from '@keyv/redis';

/** Removes every key under `prefix` from the Redis at `url`: a test's own keys, never the rest of a shared server. */
export async function removeRedisKeys(url: string, prefix: string): Promise<void> {
  const redis = createClient({ url });
  await redis.connect();
  try {
    const keys: string[] = [];
    for await (const batch of redis.scanIterator({ MATCH: `${prefix}:*`, COUNT: 100 })) keys.push(...batch);
    if (keys.length) await redis.del(keys);
  } finally {
    redis.destroy();
  }
}
