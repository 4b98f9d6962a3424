import { randomBytes } from 'node:crypto';
import { createClient } from '@keyv/redis';
import { DEFAULT_APPS, DEFAULT_USERS, startEmulator, type RunningEmulator } from 'entra-emulator';
import { ChallengeUserException } from '../../src/errors';
import { DistributedTokenCacheStore } from '../../src/token-cache/distributed-token-cache.store';
import { userCacheKey } from '../../src/token-cache/partition-keys';
import { signIn } from '../token-acquisition/support/sign-in.driver';
import {
  createTokenAcquisition,
  type TokenAcquisitionFixture,
} from '../token-acquisition/support/token-acquisition.fixture';

const GRAPH = ['https://graph.microsoft.com/User.Read'];
const OIDC = ['openid', 'profile', 'offline_access'];
const REDIS_URL = 'redis://127.0.0.1:6379';
const { webApp } = DEFAULT_APPS;
const { alice } = DEFAULT_USERS;

describe('a partition removed on one instance is not put back by another over Redis', () => {
  const prefix = `iwtest-${randomBytes(4).toString('hex')}`;
  const tokenCache = {
    redis: { connectionString: REDIS_URL },
    keyPrefix: prefix,
    encryptionKeys: [{ id: 'k1', key: randomBytes(32).toString('base64') }],
  };
  let emulator: RunningEmulator;
  let web: TokenAcquisitionFixture;
  let worker: TokenAcquisitionFixture;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, controlApi: true });
    emulator.control.grantConsent(alice.username, webApp.clientId, ['User.Read']);
    web = await createTokenAcquisition(emulator, { tokenCache });
    worker = await createTokenAcquisition(emulator, { tokenCache });
    await (web.store as DistributedTokenCacheStore).ready;
    await (worker.store as DistributedTokenCacheStore).ready;
  }, 60_000);

  afterAll(async () => {
    await worker?.module.close();
    await web?.module.close();
    await emulator?.close();
    const redis = createClient({ url: REDIS_URL });
    await redis.connect();
    const keys: string[] = [];
    for await (const batch of redis.scanIterator({ MATCH: `${prefix}:*`, COUNT: 100 })) keys.push(...batch);
    if (keys.length) await redis.del(keys);
    redis.destroy();
  });

  it.each([
    ['its read before writing back finds the partition gone', false],
    ['its read before writing back times out and answers its stale in-process copy', true],
  ])(
    'a refresh on the worker ending after the web app signed the user out: %s',
    async (_case, staleCopy) => {
      const { user } = await signIn(web, webApp.clientId, alice, { scopes: [...OIDC, ...GRAPH] });
      const partition = userCacheKey(user.homeAccountId);
      const workerStore = worker.store as DistributedTokenCacheStore;
      const stale = await workerStore.get(partition);
      expect(stale).toBeDefined();
      // The worker refreshes; the web app signs the user out after the worker loaded the
      // partition and before it writes it back.
      const read = jest.spyOn(workerStore, 'getForUpdate').mockImplementationOnce(async (key) => {
        await web.service.removeUser(user);
        return staleCopy ? stale : DistributedTokenCacheStore.prototype.getForUpdate.call(workerStore, key);
      });
      await worker.service.getAccessTokenForUser(GRAPH, { user, forceRefresh: true });
      read.mockRestore();

      const reader = new DistributedTokenCacheStore(workerStore.l2, {
        namespace: workerStore.storageKey('').slice(0, -1),
        codec: (workerStore as unknown as { codec: never }).codec,
        l1: false,
      });
      expect(await reader.get(partition)).toBeUndefined();
      await expect(web.service.getAccessTokenForUser(GRAPH, { user })).rejects.toBeInstanceOf(
        ChallengeUserException,
      );
      // A new sign-in writes over the removal.
      await signIn(web, webApp.clientId, alice, { scopes: [...OIDC, ...GRAPH] });
      expect(await reader.get(partition)).toBeDefined();
      await reader.close();
    },
    60_000,
  );
});
