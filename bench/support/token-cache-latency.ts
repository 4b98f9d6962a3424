import type { RunningEmulator } from '../../packages/entra-emulator/src';
import { AuthorizationHeaderProvider } from '../../packages/identity-web/src/downstream-api/authorization-header.provider';
import { InMemoryTokenCacheStore } from '../../packages/identity-web/src/token-cache/in-memory-token-cache.store';
import { userCacheKey } from '../../packages/identity-web/src/token-cache/partition-keys';
import {
  signedInUserOf,
  type SeededUser,
} from '../../packages/identity-web/test/token-acquisition/support/msal-partition';
import { withSignIn } from '../../packages/identity-web/test/token-acquisition/support/sign-in.driver';
import {
  accountOf,
  baselineClient,
  failuresOf,
  mergeAll,
  settingsOf,
  type BaselineClientSettings,
} from './msal-baselines';
import { benchOptions, seedUsers, TODO, userSequence } from './seeding';
import { summarize, timeCalls, us, verdict } from './stats';
import { bytesPerUserOf, type BytesPerUser } from './token-cache-memory';

const SHARED_CLIENT_MAX_USERS = 10_000; // beyond this one shared MSAL client takes seconds per call
const OUR_SAMPLES = 20_000;
const PER_REQUEST_SAMPLES = 2_000;
const SHARED_SAMPLES: Record<number, number> = { 1_000: 200, 10_000: 20 };

/** One row of the latency table: our figures, the floor and the two MSAL baselines, at one population size. */
export interface LatencyRow {
  users: number;
  ours: { p50: number; p99: number; n: number };
  bareMap: { p50: number; p99: number; n: number };
  perRequest: { p50: number; p99: number; n: number; failure?: string };
  shared?: { p50: number; p99: number; n: number; failure?: string };
}

/** The goals for latency, and how the run compares. */
const GOALS = { p50At100kUs: 10, growth1kTo100k: 1.3 };

/** A baseline's figure, or why there is none. */
function baselineCell(
  b: { p50: number; p99: number; n: number; failure?: string } | undefined,
  p: 'p50' | 'p99',
): string {
  if (!b) return p === 'p50' ? `not run (> ${SHARED_CLIENT_MAX_USERS / 1000}k)` : '—';
  if (b.failure && b.n === 0) return p === 'p50' ? b.failure : '—';
  const figure = us(b[p]);
  return b.failure ? `${figure} (then ${b.failure})` : figure;
}

/** One population of signed-in users, seeded and warmed, with the three ways to get their header. */
export interface Population {
  users: number;
  ours: (i: number) => Promise<string>;
  /** The floor: a bare `Map<string, string>` lookup with the same keys, users and sequence. */
  bareMap: (i: number) => Promise<string>;
  perRequest: (i: number) => Promise<string>;
  shared?: (i: number) => Promise<string>;
  bytesPerUser?: BytesPerUser;
}

/**
 * Seeds `users` signed-in users into an in-memory store and warms them. With `memoryBefore` (a
 * clean heap's figures), also measures their bytes per user.
 */
export async function populate(
  emulator: RunningEmulator,
  users: number,
  sizes: { accessToken: number; refreshToken: number },
  memoryBefore?: NodeJS.MemoryUsage,
): Promise<Population> {
  const store = new InMemoryTokenCacheStore();
  const { tokens: service, authorities } = withSignIn(benchOptions(emulator), { store });
  const headers = new AuthorizationHeaderProvider(service);
  const seeded: SeededUser[] = new Array(users);
  let partitionBytes = 0;
  let i = 0;
  for (const { user, partition } of seedUsers(emulator, users, { target: TODO, ...sizes })) {
    seeded[i++] = user;
    partitionBytes += partition.length;
    await store.set(userCacheKey(user.homeAccountId), partition);
  }
  const signedIn = seeded.map(signedInUserOf);

  // Warm: every user's first call goes through MSAL (partition load) and fills the hot index,
  // as each user's first request after sign-in would.
  for (let i = 0; i < users; i++)
    await headers.createAuthorizationHeaderForUser([TODO], { user: signedIn[i] });

  const bytesPerUser = memoryBefore ? bytesPerUserOf(memoryBefore, users, partitionBytes, store) : undefined;

  const picks = [...userSequence(OUR_SAMPLES, users)];
  const pick = (i: number) => picks[i % picks.length];
  const settings: BaselineClientSettings = {
    ...settingsOf(emulator),
    authorityMetadata: JSON.stringify(await authorities.metadata()),
  };
  // The floor any in-process cache pays for random users: one Map lookup by the same key strings
  // (the session's homeAccountId instances) holding the same token strings, awaited the same way.
  const bare = new Map<string, string>();
  for (const user of signedIn) {
    bare.set(user.homeAccountId, (await service.getAccessTokenForUser([TODO], { user })).accessToken);
  }
  const population: Population = {
    users,
    bytesPerUser,
    ours: (i) => headers.createAuthorizationHeaderForUser([TODO], { user: signedIn[pick(i)] }),
    bareMap: async (i) => `Bearer ${bare.get(signedIn[pick(i)].homeAccountId)!}`,
    // Baseline: a fresh MSAL client per request over the user's partition (no hot index).
    perRequest: async (i) => {
      const user = seeded[pick(i)];
      const client = baselineClient(settings);
      client.getTokenCache().deserialize((await store.get(userCacheKey(user.homeAccountId)))!);
      const result = await client.acquireTokenSilent({ account: accountOf(user), scopes: [TODO] });
      return `Bearer ${result.accessToken}`;
    },
  };
  if (users <= SHARED_CLIENT_MAX_USERS) {
    // Baseline: one MSAL client holding every user.
    const client = baselineClient(settings);
    const partitions: string[] = [];
    for (const user of seeded) partitions.push((await store.get(userCacheKey(user.homeAccountId)))!);
    client.getTokenCache().deserialize(mergeAll(partitions));
    population.shared = async (i) => {
      const result = await client.acquireTokenSilent({ account: accountOf(seeded[pick(i)]), scopes: [TODO] });
      return `Bearer ${result.accessToken}`;
    };
  }
  return population;
}

/**
 * A baseline that stops being measured at its first failure instead of ending the run: the
 * failure is kept and printed in its cell of the table.
 */
class Baseline {
  failure: string | undefined;
  constructor(private readonly call: (i: number) => Promise<string>) {}

  async time(samples: number, offset = 0): Promise<number[]> {
    if (this.failure) return [];
    try {
      return await timeCalls(samples, (i) => this.call(offset + i));
    } catch (error) {
      this.failure = failuresOf([{ status: 'rejected', reason: error }]);
      return [];
    }
  }
}

/** Measures every population in alternating rounds, so JIT warm-up and GC state favour none. */
export async function measure(populations: Population[]): Promise<LatencyRow[]> {
  const ROUNDS = 5;
  const samples = new Map<
    number,
    { ours: number[]; bareMap: number[]; perRequest: number[]; shared: number[] }
  >(populations.map((p) => [p.users, { ours: [], bareMap: [], perRequest: [], shared: [] }]));
  const baselines = new Map(
    populations.map((p) => [
      p.users,
      { perRequest: new Baseline(p.perRequest), shared: p.shared ? new Baseline(p.shared) : undefined },
    ]),
  );
  for (const p of populations) {
    const b = baselines.get(p.users)!;
    await timeCalls(2_000, p.ours);
    await timeCalls(2_000, p.bareMap);
    await b.perRequest.time(100);
    await b.shared?.time(2);
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const p of populations) {
      const into = samples.get(p.users)!;
      const b = baselines.get(p.users)!;
      const offset = round * 100_003;
      into.ours.push(...(await timeCalls(OUR_SAMPLES / ROUNDS, (i) => p.ours(offset + i))));
      into.bareMap.push(...(await timeCalls(OUR_SAMPLES / ROUNDS, (i) => p.bareMap(offset + i))));
      into.perRequest.push(...(await b.perRequest.time(PER_REQUEST_SAMPLES / ROUNDS, offset)));
      if (b.shared) {
        const n = Math.max(1, Math.round((SHARED_SAMPLES[p.users] ?? 20) / ROUNDS));
        into.shared.push(...(await b.shared.time(n, offset)));
      }
    }
  }
  return populations.map((p) => {
    const s = samples.get(p.users)!;
    const b = baselines.get(p.users)!;
    return {
      users: p.users,
      ours: summarize(s.ours),
      bareMap: summarize(s.bareMap),
      perRequest: { ...summarize(s.perRequest), failure: b.perRequest.failure },
      shared: b.shared ? { ...summarize(s.shared), failure: b.shared.failure } : undefined,
    };
  });
}

/** Prints section 1 of the bench: the latency tables, smallest population first, and the goals. */
export function printLatency(rows: LatencyRow[]): void {
  const base = rows[0];

  console.log('\n1. Authorization header for a cached user token (sequential calls, random users)\n');
  console.table(
    rows.map((r) => ({
      users: r.users.toLocaleString('en'),
      'ours p50': us(r.ours.p50),
      'ours p99': us(r.ours.p99),
      'ours p50 / 1k': `${(r.ours.p50 / base.ours.p50).toFixed(2)}×`,
      'ours p99 / 1k': `${(r.ours.p99 / base.ours.p99).toFixed(2)}×`,
      'MSAL client per request p50': baselineCell(r.perRequest, 'p50'),
      'MSAL client per request p99': baselineCell(r.perRequest, 'p99'),
      'MSAL shared client p50': baselineCell(r.shared, 'p50'),
      'MSAL shared client p99': baselineCell(r.shared, 'p99'),
      samples: `${r.ours.n} / ${r.perRequest.n} / ${r.shared?.n ?? 0}`,
    })),
  );
  console.log(
    '\n   Floor: bare Map<string, string> lookup, same keys, users and sequence, awaited the same way\n',
  );
  console.table(
    rows.map((r) => ({
      baseline: 'bare Map lookup',
      users: r.users.toLocaleString('en'),
      p50: us(r.bareMap.p50),
      p99: us(r.bareMap.p99),
      'p50 / 1k': `${(r.bareMap.p50 / base.bareMap.p50).toFixed(2)}×`,
      'ours p50 − bare p50': us(r.ours.p50 - r.bareMap.p50),
      samples: r.bareMap.n,
    })),
  );
  const top = rows[rows.length - 1];
  const growth = top.ours.p50 / base.ours.p50;
  console.table([
    {
      goal: `p50 at ${top.users.toLocaleString('en')} users ≤ ${GOALS.p50At100kUs} µs`,
      measured: us(top.ours.p50),
      verdict: verdict(top.ours.p50 <= GOALS.p50At100kUs),
    },
    {
      goal: `p50 growth 1k → ${top.users / 1000}k ≤ ${GOALS.growth1kTo100k}×`,
      measured: `${growth.toFixed(2)}×`,
      verdict: verdict(growth <= GOALS.growth1kTo100k),
    },
  ]);
}
