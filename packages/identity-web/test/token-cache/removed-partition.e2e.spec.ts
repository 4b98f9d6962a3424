import { DEFAULT_APPS, DEFAULT_USERS } from 'entra-emulator';
import { ChallengeUserException } from '../../src/errors';
import { DistributedTokenCacheStore } from '../../src/token-cache/distributed-token-cache.store';
import { userCacheKey } from '../../src/token-cache/partition-keys';
import { signIn } from '../token-acquisition/support/sign-in.driver';
import type { TokenAcquisitionFixture } from '../token-acquisition/support/token-acquisition.fixture';
import { useSharedRedis } from './support/shared-redis';

const GRAPH = ['https://graph.microsoft.com/User.Read'];
const OIDC = ['openid', 'profile', 'offline_access'];
const { webApp } = DEFAULT_APPS;
const { alice } = DEFAULT_USERS;

describe('a partition removed on one instance is not put back by another over Redis', () => {
  const shared = useSharedRedis();
  let web: TokenAcquisitionFixture;
  let worker: TokenAcquisitionFixture;

  beforeAll(async () => {
    shared.emulator.control.grantConsent(alice.username, webApp.clientId, ['User.Read']);
    web = await shared.instance();
    worker = await shared.instance();
  }, 60_000);

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
