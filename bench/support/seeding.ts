import { randomBytes } from 'node:crypto';
import { DEFAULT_APPS, type RunningEmulator } from '../../packages/entra-emulator/src';
import type { IdentityWebOptions } from '../../packages/identity-web/src/options/identity-web.options';
import { normalizeOptions } from '../../packages/identity-web/src/options/normalize-options';
import {
  seededUser,
  userPartition,
  type SeededUser,
} from '../../packages/identity-web/test/token-acquisition/support/msal-partition';

const { webApp } = DEFAULT_APPS;

/** The Todo API's delegated scope: the token the benches seed and ask for. */
export const TODO = 'api://todo-api/access_as_user';
/** The scopes of a sign-in, besides the API's. */
export const OIDC = ['openid', 'profile', 'offline_access'];

/** The web app's options against the emulator, with `tokenCache` when given. */
export function benchOptions(
  emulator: RunningEmulator,
  tokenCache?: Record<string, unknown>,
): IdentityWebOptions {
  return normalizeOptions(
    {
      azureAd: {
        instance: emulator.baseUrl,
        tenantId: emulator.tenantId,
        clientId: webApp.clientId,
        clientCredentials: [{ sourceType: 'ClientSecret', clientSecret: webApp.clientSecret }],
      },
      session: { secret: randomBytes(32).toString('hex') },
      ...(tokenCache ? { tokenCache } : {}),
    },
    {},
    { warn: () => undefined },
  );
}

/** Deterministic pseudo-random user numbers, so every variant reads the same users. */
export function* userSequence(count: number, users: number, seed = 12345): Generator<number> {
  let state = seed;
  for (let i = 0; i < count; i++) {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    yield state % users;
  }
}

const POOL = randomBytes(3 << 20).toString('base64url');
let poolOffset = 0;

/** A token-shaped secret of the given length, copied from a random pool (no Buffer per token). */
function fakeToken(length: number): string {
  poolOffset = (poolOffset + 7919) % (POOL.length - length);
  return POOL.slice(poolOffset, poolOffset + length);
}

/**
 * Users 0 to `count - 1` of the emulator's tenant, one at a time (a large population is never held
 * twice), each with its partition in MSAL's cache shape: the web app's access token for `target`,
 * valid for an hour, and a refresh token, of the given lengths.
 */
export function* seedUsers(
  emulator: RunningEmulator,
  count: number,
  settings: { target: string; accessToken: number; refreshToken: number },
): Generator<{ user: SeededUser; partition: string }> {
  const expiresOn = Math.floor(Date.now() / 1000) + 3600;
  for (let i = 0; i < count; i++) {
    const user = seededUser(i, emulator.tenantId, emulator.host);
    const partition = userPartition({
      user,
      clientId: webApp.clientId,
      target: settings.target,
      accessToken: fakeToken(settings.accessToken),
      refreshToken: fakeToken(settings.refreshToken),
      expiresOn,
    });
    yield { user, partition };
  }
}
