import { DEFAULT_APPS, startEmulator, type RunningEmulator } from 'entra-emulator';
import type { SignedInUser } from '../../src/token-acquisition/signed-in-user';
import { userCacheKey } from '../../src/token-cache/partition-keys';
import { TokenCacheStore } from '../../src/token-cache/token-cache.store';
import { signIn } from './support/sign-in.driver';
import { createTokenAcquisition } from './support/token-acquisition.fixture';

const TODO = 'api://todo-api/access_as_user';
const USER_READ = 'https://graph.microsoft.com/User.Read';
const OIDC = ['openid', 'profile', 'offline_access'];
const { webApp } = DEFAULT_APPS;

/** A store answering after a network-like round trip, as Redis or PostgreSQL would. */
class RemoteLikeStore extends TokenCacheStore {
  readonly data = new Map<string, string>();
  private readonly roundTrip = () => new Promise((resolve) => setTimeout(resolve, 2));

  async get(key: string): Promise<string | undefined> {
    await this.roundTrip();
    return this.data.get(key);
  }

  async set(key: string, value: string): Promise<void> {
    await this.roundTrip();
    this.data.set(key, value);
  }

  async remove(key: string): Promise<void> {
    this.data.delete(key);
  }
}

interface StoredPartition {
  AccessToken: Record<string, { secret: string; target: string }>;
  RefreshToken: Record<string, { secret: string }>;
}

describe('concurrent refreshes of one user for different scopes', () => {
  let emulator: RunningEmulator;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, controlApi: true });
  });
  afterAll(() => emulator.close());

  it('keep both tokens and a rotated refresh token in the stored partition', async () => {
    const store = new RemoteLikeStore();
    const fixture = await createTokenAcquisition(emulator, { store });
    const { service } = fixture;
    const users: SignedInUser[] = [];
    for (let i = 0; i < 8; i++) {
      const username = `concurrent${i}@contoso.onmicrosoft.com`;
      emulator.control.addUser({ username, password: 'Concurrent-passw0rd!' });
      emulator.control.grantConsent(username, webApp.clientId, [TODO, 'User.Read']);
      const { user } = await signIn(
        fixture,
        webApp.clientId,
        { username, password: 'Concurrent-passw0rd!' },
        { scopes: [...OIDC, TODO] },
      );
      users.push(user);
    }
    const refreshTokensAtSignIn = users.map((user) => refreshTokenOf(store, user));

    // For each user at once: the TODO token renewed (forced) and a first Graph token, both with
    // the refresh token loaded from the same stored partition.
    const results = await Promise.all(
      users.map((user) =>
        Promise.all([
          service.getAccessTokenForUser([TODO], { user, forceRefresh: true }),
          service.getAccessTokenForUser([USER_READ], { user }),
        ]),
      ),
    );

    users.forEach((user, i) => {
      const [todo, graph] = results[i];
      const stored = partitionOf(store, user);
      const secrets = Object.values(stored.AccessToken).map((t) => t.secret);
      expect(secrets).toContain(todo.accessToken);
      expect(secrets).toContain(graph.accessToken);
      expect(refreshTokenOf(store, user)).not.toBe(refreshTokensAtSignIn[i]);
    });
    expect(emulator.control.counters().grantTypes.refresh_token).toBe(16);
  });
});

function partitionOf(store: RemoteLikeStore, user: SignedInUser): StoredPartition {
  return JSON.parse(store.data.get(userCacheKey(user.homeAccountId))!) as StoredPartition;
}

function refreshTokenOf(store: RemoteLikeStore, user: SignedInUser): string {
  return Object.values(partitionOf(store, user).RefreshToken)[0].secret;
}
