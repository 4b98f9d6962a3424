import { DEFAULT_APPS, DEFAULT_USERS, startEmulator } from '../../packages/entra-emulator/src';
import { InMemoryTokenCacheStore } from '../../packages/identity-web/src/token-cache/in-memory-token-cache.store';
import { userCacheKey } from '../../packages/identity-web/src/token-cache/partition-keys';
import {
  signIn,
  withSignIn,
} from '../../packages/identity-web/test/token-acquisition/support/sign-in.driver';
import { baselineClient, failuresOf, settingsOf } from './msal-baselines';
import { benchOptions, OIDC, TODO } from './seeding';

const { webApp } = DEFAULT_APPS;

/** Token requests the emulator saw in each refresh storm, and the failed calls of the baseline. */
export interface RefreshStorms {
  oneUser: number;
  oneUserNoSingleFlight: { requests: number; failures: string };
  hundredUsers: number;
}

/** Section 2 of the bench: concurrent calls for expired access tokens, against an emulator of its own. */
export async function refreshStorms(): Promise<RefreshStorms> {
  // Access tokens living 200 s are inside MSAL's 300 s renewal window: every use must refresh.
  const emulator = await startEmulator({ port: 0, controlApi: true, accessTokenLifetimeSeconds: 200 });
  try {
    const stack = withSignIn(benchOptions(emulator));
    const service = stack.tokens;
    const alice = (await signIn(stack, webApp.clientId, DEFAULT_USERS.alice, { scopes: [...OIDC, TODO] }))
      .user;
    emulator.control.resetCounters();
    await Promise.all(
      Array.from({ length: 1000 }, () => service.getAccessTokenForUser([TODO], { user: alice })),
    );
    const oneUser = emulator.control.counters().grantTypes.refresh_token ?? 0;

    // Baseline: 1,000 requests each with its own MSAL client over the same partition.
    const store = new InMemoryTokenCacheStore();
    const plain = withSignIn(benchOptions(emulator), { store });
    const bob = (
      await signIn(
        plain,
        webApp.clientId,
        { ...DEFAULT_USERS.bob, otp: '123456' },
        { scopes: [...OIDC, TODO] },
      )
    ).user;
    const metadata = JSON.stringify(await plain.authorities.metadata());
    const partition = (await store.get(userCacheKey(bob.homeAccountId)))!;
    const account = (
      await (() => {
        const c = baselineClient({ ...settingsOf(emulator), authorityMetadata: metadata });
        c.getTokenCache().deserialize(partition);
        return c.getTokenCache().getAllAccounts();
      })()
    )[0];
    emulator.control.resetCounters();
    // 1,000 clients each opening its own connections can overrun the machine (MSAL then throws
    // network_error): a failed baseline call is counted and shown, it does not end the run.
    const settled = await Promise.allSettled(
      Array.from({ length: 1000 }, async () => {
        const client = baselineClient({ ...settingsOf(emulator), authorityMetadata: metadata });
        client.getTokenCache().deserialize(partition);
        return client.acquireTokenSilent({ account, scopes: [TODO] });
      }),
    );
    const oneUserNoSingleFlight = {
      requests: emulator.control.counters().grantTypes.refresh_token ?? 0,
      failures: failuresOf(settled),
    };

    const signedIn = [];
    for (let i = 0; i < 100; i++) {
      const username = `storm${i}@contoso.onmicrosoft.com`;
      emulator.control.addUser({ username, password: 'Storm-passw0rd!' });
      emulator.control.grantConsent(username, webApp.clientId, [TODO]);
      const { user } = await signIn(
        stack,
        webApp.clientId,
        { username, password: 'Storm-passw0rd!' },
        { scopes: [...OIDC, TODO] },
      );
      signedIn.push(user);
    }
    emulator.control.resetCounters();
    await Promise.all(
      signedIn.flatMap((user) =>
        Array.from({ length: 10 }, () => service.getAccessTokenForUser([TODO], { user })),
      ),
    );
    const hundredUsers = emulator.control.counters().grantTypes.refresh_token ?? 0;
    return { oneUser, oneUserNoSingleFlight, hundredUsers };
  } finally {
    await emulator.close();
  }
}

/** Prints section 2 of the bench. */
export function printStorms(storms: RefreshStorms): void {
  console.log('\n2. Refresh storms (token requests seen by the emulator; access tokens expired)\n');
  console.table([
    { scenario: '1,000 concurrent calls, one user', 'token requests': storms.oneUser, goal: 1 },
    {
      scenario: '  baseline: MSAL client per request, no single-flight',
      'token requests': storms.oneUserNoSingleFlight.requests,
      goal: '—',
      'baseline failures': storms.oneUserNoSingleFlight.failures,
    },
    { scenario: '100 users × 10 concurrent calls', 'token requests': storms.hundredUsers, goal: 100 },
  ]);
}
