import { DEFAULT_APPS, DEFAULT_USERS, MFA_CODE, startEmulator, type RunningEmulator } from 'entra-emulator';
import { InMemoryTokenCacheStore } from '../../src/token-cache/in-memory-token-cache.store';
import { oboPartitionKey } from '../../src/token-cache/partition-keys';
import { signIn } from './support/sign-in.driver';
import { createTokenAcquisition } from './support/token-acquisition.fixture';

const TODO = 'api://todo-api/access_as_user';
// Graph's scope as apps usually write it (bare); the full form is the last test's.
const GRAPH_USER_READ = 'User.Read';
const { webApp, todoApi } = DEFAULT_APPS;
const { alice, bob } = DEFAULT_USERS;

function oidOf(accessToken: string): unknown {
  return JSON.parse(Buffer.from(accessToken.split('.')[1], 'base64url').toString('utf8')).oid;
}

describe('on-behalf-of tokens against the emulator', () => {
  let emulator: RunningEmulator;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, controlApi: true });
  });
  afterAll(() => emulator.close());

  it('keeps the tokens of two callers apart, one request per caller however many calls', async () => {
    const web = await createTokenAcquisition(emulator);
    const incoming: string[] = [];
    for (const person of [alice, { ...bob, otp: MFA_CODE }]) {
      const { user } = await signIn(web, webApp.clientId, person, {
        scopes: ['openid', 'profile', 'offline_access', TODO],
      });
      incoming.push((await web.service.getAccessTokenForUser([TODO], { user })).accessToken);
      emulator.control.grantConsent(person.username, todoApi.clientId, ['User.Read']);
    }
    const api = await createTokenAcquisition(emulator, { app: 'todoApi' });
    emulator.control.resetCounters();
    const calls = [0, 1, 0, 1].flatMap((i) =>
      Array.from({ length: 25 }, () => api.service.getAccessTokenOnBehalfOf([GRAPH_USER_READ], incoming[i])),
    );
    const results = await Promise.all(calls);
    expect(oidOf(results[0].accessToken)).toBe(alice.oid);
    expect(oidOf(results[25].accessToken)).toBe(bob.oid);
    expect(emulator.control.counters().grantTypes).toEqual({
      'urn:ietf:params:oauth:grant-type:jwt-bearer': 2,
    });

    // A new instance reading the same store finds each caller's token in its own partition.
    const again = await createTokenAcquisition(emulator, { app: 'todoApi' });
    for (const [i, oid] of [alice.oid, bob.oid].entries()) {
      await again.store.set(
        oboPartitionKey(incoming[i]),
        (await api.store.get(oboPartitionKey(incoming[i])))!,
      );
      expect(
        oidOf((await again.service.getAccessTokenOnBehalfOf([GRAPH_USER_READ], incoming[i])).accessToken),
      ).toBe(oid);
    }
    expect(emulator.control.counters().grantTypes).toEqual({
      'urn:ietf:params:oauth:grant-type:jwt-bearer': 2,
    });
  });

  it('finds the cached token of a Graph scope asked for in its full form (no second request)', async () => {
    const web = await createTokenAcquisition(emulator);
    const { user } = await signIn(web, webApp.clientId, alice, {
      scopes: ['openid', 'profile', 'offline_access', TODO],
    });
    const incoming = (await web.service.getAccessTokenForUser([TODO], { user })).accessToken;
    emulator.control.grantConsent(alice.username, todoApi.clientId, ['User.Read']);
    // Two instances of the API over one store: the second has nothing in its in-process index,
    // so only MSAL's lookup in the stored partition can spare it a token request.
    const store = new InMemoryTokenCacheStore();
    const first = await createTokenAcquisition(emulator, { app: 'todoApi', store });
    const second = await createTokenAcquisition(emulator, { app: 'todoApi', store });
    emulator.control.resetCounters();
    const scopes = ['https://graph.microsoft.com/User.Read'];
    const got = await first.service.getAccessTokenOnBehalfOf(scopes, incoming);
    const again = await second.service.getAccessTokenOnBehalfOf(scopes, incoming);
    expect(again.accessToken).toBe(got.accessToken);
    expect(emulator.control.counters().grantTypes).toEqual({
      'urn:ietf:params:oauth:grant-type:jwt-bearer': 1,
    });
  });
});
