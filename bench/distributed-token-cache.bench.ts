/**
 * Benchmark of the distributed token cache (issue 8): not a test, no assertions. Against a
 * redis-server of its own on loopback (so Redis's own command counts are this run's only), printed
 * against the in-memory store measured in the same run:
 *  1. warm call (cached user token): p50/p99, ratio to memory, Redis commands per call;
 *  2. cold partition load (user not in L1 / hot index): p50/p99 of the store read and of the call;
 *  3. bytes per user partition in Redis (encrypted, compressed) against the in-memory store's;
 *  4. invalidation delay between two instances: p50/p99.
 * Run with `npm run bench:distributed` (see bench/README.md).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createClient } from '@keyv/redis';
import { DEFAULT_APPS, startEmulator } from '../packages/entra-emulator/src';
import {
  createTokenAcquisition,
  type TokenAcquisitionParts,
} from '../packages/identity-web/src/token-acquisition/create-token-acquisition';
import { DistributedTokenCacheStore } from '../packages/identity-web/src/token-cache/distributed-token-cache.store';
import { InMemoryTokenCacheStore } from '../packages/identity-web/src/token-cache/in-memory-token-cache.store';
import { userCacheKey } from '../packages/identity-web/src/token-cache/partition-keys';
import { signedInUserOf } from '../packages/identity-web/test/token-acquisition/support/msal-partition';
import { freePort } from '../packages/identity-web/test/token-cache/support/own-servers';
import { benchOptions, seedUsers, userSequence } from './support/seeding';
import { summarize, timeCalls, us } from './support/stats';

const USERS = 2_000;
const WARM_SAMPLES = 20_000;
const L1_OFF_SAMPLES = 2_000;
const INVALIDATIONS = 1_000;
const TODO = 'api://todo-api/access_as_user';
const { webApp } = DEFAULT_APPS;
const KEY = { id: 'bench', key: randomBytes(32).toString('base64') };

async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  await new Promise<void>((resolve) =>
    child.stdout!.on('data', (c: Buffer) => c.toString().includes('Ready to accept') && resolve()),
  );
  return child;
}

async function main(): Promise<void> {
  const emulator = await startEmulator({ port: 0 });
  const port = await freePort();
  const redisServer = await startRedis(port);
  const url = `redis://127.0.0.1:${port}`;
  const redis = createClient({ url });
  await redis.connect();
  const commands = async () => {
    const info = await redis.info('commandstats');
    const calls = (name: string) => Number(new RegExp(`cmdstat_${name}:calls=(\\d+)`).exec(info)?.[1] ?? 0);
    return {
      get: calls('get'),
      set: calls('set'),
      all: [...info.matchAll(/calls=(\d+)/g)].reduce((n, m) => n + Number(m[1]), 0),
    };
  };
  const population = [...seedUsers(emulator, USERS, { target: TODO, accessToken: 1500, refreshToken: 1200 })];
  const seeded = population.map((p) => p.user);
  const partitions = population.map((p) => p.partition);
  const users = seeded.map(signedInUserOf);
  const seed = async (parts: TokenAcquisitionParts) => {
    for (const [i, user] of seeded.entries())
      await parts.cache.store.set(userCacheKey(user.homeAccountId), partitions[i]);
  };
  const warm = async (parts: TokenAcquisitionParts) => {
    for (const user of users) await parts.tokens.getAccessTokenForUser([TODO], { user });
  };
  const order = [...userSequence(WARM_SAMPLES, USERS)];
  const call = (parts: TokenAcquisitionParts) => (i: number) =>
    parts.tokens.getAccessTokenForUser([TODO], { user: users[order[i % order.length]] });

  const memoryStore = new InMemoryTokenCacheStore();
  const memory = createTokenAcquisition(benchOptions(emulator, {}), { store: memoryStore });
  const redisConfig = { redis: { connectionString: url }, encryptionKeys: [KEY] };
  const withL1 = createTokenAcquisition(benchOptions(emulator, redisConfig));
  const withoutL1 = createTokenAcquisition(benchOptions(emulator, { ...redisConfig, l1Enabled: false }));
  await (withL1.cache.store as DistributedTokenCacheStore).ready;
  await (withoutL1.cache.store as DistributedTokenCacheStore).ready;
  await seed(memory);
  await seed(withL1);

  // 1. Warm calls.
  await warm(memory);
  await warm(withL1);
  await warm(withoutL1);
  const rows: Array<[string, { p50: number; p99: number }, string]> = [];
  const memoryWarm = summarize(await timeCalls(WARM_SAMPLES, call(memory)));
  rows.push(['in-memory store (baseline)', memoryWarm, '—']);
  let before = await commands();
  const l1Warm = summarize(await timeCalls(WARM_SAMPLES, call(withL1)));
  let after = await commands();
  rows.push([
    'Redis, L1 on',
    l1Warm,
    `${((after.all - before.all - 1) / WARM_SAMPLES).toFixed(3)} (GET ${after.get - before.get})`,
  ]);
  before = await commands();
  const offWarm = summarize(await timeCalls(L1_OFF_SAMPLES, call(withoutL1)));
  after = await commands();
  rows.push([
    'Redis, L1 off',
    offWarm,
    `${((after.all - before.all - 1) / L1_OFF_SAMPLES).toFixed(3)} (GET ${((after.get - before.get) / L1_OFF_SAMPLES).toFixed(3)}/call)`,
  ]);
  console.log(`\n1. Warm call, cached user token, ${USERS} users, random users (sequential)\n`);
  console.log('| store | p50 | p99 | p50 ratio to memory | Redis commands per call |');
  console.log('|---|---|---|---|---|');
  for (const [name, s, cmds] of rows) {
    console.log(
      `| ${name} | ${us(s.p50)} | ${us(s.p99)} | ${(s.p50 / memoryWarm.p50).toFixed(2)}× | ${cmds} |`,
    );
  }

  // 2. Cold loads: fresh instances, nothing in L1 or the hot index.
  const coldMemory = createTokenAcquisition(benchOptions(emulator, {}), { store: memoryStore });
  const coldRedis = createTokenAcquisition(benchOptions(emulator, redisConfig));
  await (coldRedis.cache.store as DistributedTokenCacheStore).ready;
  const half = USERS / 2;
  const storeRead = async (parts: TokenAcquisitionParts) =>
    summarize(await timeCalls(half, (i) => parts.cache.store.get(userCacheKey(seeded[i].homeAccountId))));
  const firstCall = async (parts: TokenAcquisitionParts) =>
    summarize(
      await timeCalls(half, (i) => parts.tokens.getAccessTokenForUser([TODO], { user: users[half + i] })),
    );
  const cold = {
    memoryRead: await storeRead(coldMemory),
    redisRead: await storeRead(coldRedis),
    memoryCall: await firstCall(coldMemory),
    redisCall: await firstCall(coldRedis),
  };
  console.log(`\n2. Cold partition load (${half} users each, never read by this instance)\n`);
  console.log('| | in-memory p50 / p99 | Redis p50 / p99 | p50 ratio |');
  console.log('|---|---|---|---|');
  console.log(
    `| store read (GET, decrypt, inflate) | ${us(cold.memoryRead.p50)} / ${us(cold.memoryRead.p99)} | ${us(cold.redisRead.p50)} / ${us(cold.redisRead.p99)} | ${(cold.redisRead.p50 / cold.memoryRead.p50).toFixed(1)}× |`,
  );
  console.log(
    `| first call (read + MSAL) | ${us(cold.memoryCall.p50)} / ${us(cold.memoryCall.p99)} | ${us(cold.redisCall.p50)} / ${us(cold.redisCall.p99)} | ${(cold.redisCall.p50 / cold.memoryCall.p50).toFixed(1)}× |`,
  );

  // 3. Bytes per user partition.
  const ns = `iw:${webApp.clientId.toLowerCase()}`;
  let valueBytes = 0;
  let maxBytes = 0;
  let memoryUsage = 0;
  for (const user of seeded) {
    const key = `${ns}:${userCacheKey(user.homeAccountId)}`;
    const length = await redis.strLen(key);
    valueBytes += length;
    maxBytes = Math.max(maxBytes, length);
    memoryUsage += (await redis.memoryUsage(key)) ?? 0;
  }
  const json = partitions.reduce((n, p) => n + p.length, 0) / USERS;
  console.log(
    `\n3. Bytes per user partition (${USERS} users; access token 1,500 and refresh token 1,200 characters)\n`,
  );
  console.log('| | bytes |');
  console.log('|---|---|');
  console.log(`| partition JSON | ${json.toFixed(0)} |`);
  console.log(`| in-memory store (deflated) | ${(memoryStore.storedBytes / memoryStore.size).toFixed(0)} |`);
  console.log(
    `| Redis value (deflated, AES-GCM, base64, Keyv envelope), mean / max | ${(valueBytes / USERS).toFixed(0)} / ${maxBytes} |`,
  );
  console.log(`| Redis MEMORY USAGE per key, mean | ${(memoryUsage / USERS).toFixed(0)} |`);
  console.log(`| goal ≤ 3 KB (3,072 bytes) | ${valueBytes / USERS <= 3072 ? 'met' : 'NOT met'} |`);

  // 4. Invalidation delay between two instances.
  const a = createTokenAcquisition(benchOptions(emulator, redisConfig));
  const b = createTokenAcquisition(benchOptions(emulator, redisConfig));
  const storeA = a.cache.store as DistributedTokenCacheStore;
  const storeB = b.cache.store as DistributedTokenCacheStore;
  await Promise.all([storeA.ready, storeB.ready]);
  const delays: number[] = [];
  let waiting: { partition: string; resolve: (at: number) => void } | undefined;
  storeB.onInvalidate((p) => {
    if (waiting && p === waiting.partition) waiting.resolve(performance.now());
  });
  for (let i = 0; i < INVALIDATIONS; i++) {
    const partition = userCacheKey(seeded[i % USERS].homeAccountId);
    const heard = new Promise<number>((resolve) => (waiting = { partition, resolve }));
    const started = performance.now();
    await storeA.set(partition, partitions[i % USERS]);
    delays.push(((await heard) - started) * 1000);
  }
  const delay = summarize(delays);
  console.log(
    `\n4. Invalidation delay, instance A's write to instance B's eviction (${INVALIDATIONS} writes, Redis pub/sub)\n`,
  );
  console.log(
    `p50 ${us(delay.p50)}, p99 ${us(delay.p99)}; goal p99 ≤ 50 ms: ${delay.p99 <= 50_000 ? 'met' : 'NOT met'}\n`,
  );

  for (const parts of [withL1, withoutL1, coldRedis, a, b])
    await (parts.cache.store as DistributedTokenCacheStore).close();
  redis.destroy();
  redisServer.kill('SIGTERM');
  await emulator.close();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
