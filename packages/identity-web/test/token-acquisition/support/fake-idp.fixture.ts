import type { HotTokenIndex } from '../../../src/token-cache/hot-token.index';
import { InMemoryTokenCacheStore } from '../../../src/token-cache/in-memory-token-cache.store';
import { userCacheKey } from '../../../src/token-cache/partition-keys';
import {
  CLIENT_ID,
  type ClockedService,
  FakeIdp,
  fakeTokenAcquisition,
  HOST,
  SCOPE,
  TENANT,
} from './fake-idp';
import { seededUser, signedInUserOf, userPartition } from './msal-partition';

/** The user the TokenAcquisitionService specs seed, and the session that signs them in. */
export const user = seededUser(1, TENANT, HOST);
export const signedIn = signedInUserOf(user);
export const nowSeconds = () => Math.floor(Date.now() / 1000);

/** What the TokenAcquisitionService specs share; the fields are set anew before each test. */
export interface FakeIdpFixture {
  store: InMemoryTokenCacheStore;
  service: ClockedService;
  idp: FakeIdp;
  hotIndex: HotTokenIndex;
  /** Stores the user's partition: access token `cached-at` expiring at `expiresOn` (seconds), refresh token `cached-rt`. */
  seed(expiresOn: number): Promise<void>;
}

/**
 * The TokenAcquisitionService specs' outer `describe`, with the same title in every spec file:
 * `tests` registers the tests against the fixture ({@link useFakeIdp}).
 */
export function describeOverFakeIdp(tests: (ctx: FakeIdpFixture) => void): void {
  describe('TokenAcquisitionService (MSAL over a fake network)', () => tests(useFakeIdp()));
}

/**
 * Jest hooks for the enclosing `describe`: before each test, a fresh in-memory store, fake
 * identity provider and token acquisition over them ({@link fakeTokenAcquisition}).
 */
function useFakeIdp(): FakeIdpFixture {
  const fixture = {
    seed: (expiresOn: number) =>
      fixture.store.set(
        userCacheKey(user.homeAccountId),
        userPartition({
          user,
          clientId: CLIENT_ID,
          target: SCOPE,
          accessToken: 'cached-at',
          refreshToken: 'cached-rt',
          expiresOn,
        }),
      ),
  } as FakeIdpFixture;

  beforeEach(() => {
    fixture.store = new InMemoryTokenCacheStore();
    fixture.idp = new FakeIdp();
    ({ service: fixture.service, hotIndex: fixture.hotIndex } = fakeTokenAcquisition(
      fixture.idp,
      fixture.store,
    ));
  });
  return fixture;
}
