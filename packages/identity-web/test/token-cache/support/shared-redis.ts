import { randomBytes } from 'node:crypto';
import { startEmulator, type RunningEmulator } from 'entra-emulator';
import { DistributedTokenCacheStore } from '../../../src/token-cache/distributed-token-cache.store';
import { removeRedisKeys } from '../../support/redis-keys';
import {
  createTokenAcquisition,
  type TokenAcquisitionFixture,
} from '../../token-acquisition/support/token-acquisition.fixture';

/** The machine's shared Redis: a suite keeps to its own key prefix there, never flushes it. */
export const REDIS_URL = 'redis://127.0.0.1:6379';

/** App instances of one suite sharing Redis under a key prefix of their own, against one emulator. */
export interface SharedRedis {
  /** The emulator, with its control API (set once the suite's first `beforeAll` ran). */
  readonly emulator: RunningEmulator;
  /** The `tokenCache` options every instance of the suite is given, as a user writes them. */
  tokenCache(more?: Record<string, unknown>): Record<string, unknown>;
  /** A new instance (token acquisition in a Nest testing module) with its bus listening; closed after the suite. */
  instance(more?: Record<string, unknown>): Promise<TokenAcquisitionFixture>;
  /** Something else to stop after the suite: stopped before what was registered earlier. */
  stopAfterAll(stop: () => Promise<void>): void;
  /** Token requests the emulator answered since its counters were last reset. */
  tokenRequests(): number;
}

/**
 * Registers the suite's `beforeAll` (starts the emulator) and `afterAll` (stops the instances,
 * last made first, then the emulator, and removes the prefix's keys). Call it at the top of the
 * `describe`, before the suite's own hooks.
 *
 * @example
 * ```ts
 * const shared = useSharedRedis();
 * beforeAll(async () => (web = await shared.instance()));
 * ```
 */
export function useSharedRedis(): SharedRedis {
  const prefix = `iwtest-${randomBytes(4).toString('hex')}`;
  const encryptionKeys = [{ id: 'k1', key: randomBytes(32).toString('base64') }];
  const stops: Array<() => Promise<void>> = [];
  let emulator: RunningEmulator | undefined;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, controlApi: true });
  }, 60_000);

  afterAll(async () => {
    for (const stop of stops.reverse()) await stop();
    await emulator?.close();
    await removeRedisKeys(REDIS_URL, prefix);
  });

  const shared: SharedRedis = {
    get emulator() {
      if (!emulator)
        throw new Error('The emulator starts in the suite’s beforeAll: use it from a hook or a test.');
      return emulator;
    },
    tokenCache: (more = {}) => ({
      redis: { connectionString: REDIS_URL },
      keyPrefix: prefix,
      encryptionKeys,
      ...more,
    }),
    async instance(more) {
      const fixture = await createTokenAcquisition(shared.emulator, { tokenCache: shared.tokenCache(more) });
      stops.push(() => fixture.module.close());
      await (fixture.store as DistributedTokenCacheStore).ready;
      return fixture;
    },
    stopAfterAll: (stop) => void stops.push(stop),
    tokenRequests: () => shared.emulator.control.counters().endpoints.token ?? 0,
  };
  return shared;
}
