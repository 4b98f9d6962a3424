import { DEFAULT_APPS, DEFAULT_USERS, startEmulator, type RunningEmulator } from 'entra-emulator';
import { azureAdSettings, signInOverHttp } from 'entra-emulator/testing';
import session from 'express-session';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  createTokenAcquirer,
  IdentityWebError,
  InMemoryTokenCacheStore,
  loadAppSettings,
  OptionsValidationError,
  type TokenAcquirer,
  type TokenCacheStore,
} from 'nest-identity-web';
import { removeRedisKeys } from '../support/redis-keys';
import { startSignInTestApp, testOptions, type SignInTestApp } from '../sign-in/sign-in-test.app';

const { webApp, todoApi } = DEFAULT_APPS;
const { alice } = DEFAULT_USERS;
const GRAPH_USER_READ = 'https://graph.microsoft.com/User.Read';
const TODO = 'api://todo-api/access_as_user';

function claimsOf(accessToken: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(accessToken.split('.')[1], 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
}

/** A store that does not extend TokenCacheStore: any object with get, set and remove will do. */
function plainObjectStore(): TokenCacheStore {
  const entries = new Map<string, string>();
  return {
    get: async (key) => entries.get(key),
    set: async (key, value) => void entries.set(key, value),
    remove: async (key) => void entries.delete(key),
  };
}

/** The token cache settings the web app and the worker are both given, and what to clean up after. */
interface SharedCache {
  tokenCache: Record<string, unknown>;
  cleanup?(): Promise<void>;
}

const REDIS_URL = 'redis://127.0.0.1:6379';

/** Redis from configuration: the web app and the worker each build their own store over it, as two processes do. */
function sharedRedis(): SharedCache {
  const prefix = `iw-worker-test-${randomBytes(4).toString('hex')}`;
  return {
    tokenCache: { redis: { connectionString: REDIS_URL }, keyPrefix: prefix },
    cleanup: () => removeRedisKeys(REDIS_URL, prefix),
  };
}

/** Every kind of store the worker must work over, each shared with the web app. */
const STORES: [string, () => SharedCache][] = [
  ['one InMemoryTokenCacheStore', () => ({ tokenCache: { store: new InMemoryTokenCacheStore() } })],
  ['one custom store (a plain object)', () => ({ tokenCache: { store: plainObjectStore() } })],
  ['Redis, from configuration on each side', sharedRedis],
];

/** The worker's configuration as an appsettings.json (comments and all), read by loadAppSettings. */
function appSettingsOf(
  emulator: RunningEmulator,
  app: { clientId: string; clientSecret?: string } = webApp,
): Record<string, unknown> {
  const directory = mkdtempSync(join(tmpdir(), 'worker-appsettings-'));
  try {
    const settings = {
      AzureAd: azureAdSettings(emulator, app),
      DownstreamApis: { GraphAPI: { BaseUrl: `${emulator.baseUrl}/v1.0`, Scopes: ['User.Read'] } },
    };
    writeFileSync(
      join(directory, 'appsettings.json'),
      `// the worker's own appsettings\n${JSON.stringify(settings, null, 2)}\n`,
    );
    return loadAppSettings({ directory, env: {} });
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

describe('createTokenAcquirer: token acquisition outside a request', () => {
  let emulator: RunningEmulator;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, controlApi: true });
  });
  afterAll(() => emulator.close());

  describe.each(STORES)('over %s, shared with the web app', (_name, createShared) => {
    let shared: SharedCache;
    let web: SignInTestApp;
    let worker: TokenAcquirer;
    let homeAccountId: string;
    let cookie: string;

    beforeAll(async () => {
      shared = createShared();
      web = await startSignInTestApp({
        ...testOptions(emulator, webApp, new session.MemoryStore()),
        tokenCache: shared.tokenCache,
      });
      emulator.control.grantConsent(alice.username, webApp.clientId, ['User.Read', TODO]);
      ({ cookie } = await signInOverHttp(web.baseUrl, alice));
      homeAccountId = `${alice.oid}.${emulator.tenantId}`.toLowerCase();
      worker = createTokenAcquirer({ ...appSettingsOf(emulator), tokenCache: shared.tokenCache });
    });
    afterAll(async () => {
      await worker.close();
      await web.close();
      await shared.cleanup?.();
    });

    it('gets a token for a user signed in through the web app from the store, no token request however many callers', async () => {
      emulator.control.resetCounters();
      const tokens = await Promise.all(
        Array.from({ length: 20 }, () => worker.getTokenForUser([GRAPH_USER_READ], homeAccountId)),
      );
      expect(new Set(tokens.map((t) => t.accessToken)).size).toBe(1);
      expect(claimsOf(tokens[0].accessToken)).toMatchObject({
        oid: alice.oid,
        aud: 'https://graph.microsoft.com',
      });
      // The sign-in's Graph token, still valid in the store: no token request.
      expect(emulator.control.counters().grantTypes).toEqual({});
      // Then from the worker's index: still none.
      await worker.getTokenForUser([GRAPH_USER_READ], homeAccountId);
      expect(emulator.control.counters().grantTypes).toEqual({});
      // A downstream API called as that user.
      const me = await worker.downstreamApi.getForUser<{ userPrincipalName: string }>('GraphAPI', {
        relativePath: 'me',
        user: worker.user(homeAccountId),
      });
      expect(me.userPrincipalName).toBe(alice.username);
      // The web app's own page still works for the user, reading the same store.
      const page = await fetch(`${web.baseUrl}/token`, { headers: { cookie, accept: 'text/html' } });
      expect(page.status).toBe(200);
    });

    it('asks the identity provider once for a token nobody holds yet, however many callers at once', async () => {
      // Nothing cached for the to-do API yet (the sign-in got Graph's token): every caller misses.
      emulator.control.resetCounters();
      const [forUser, forApp] = await Promise.all([
        Promise.all(Array.from({ length: 20 }, () => worker.getTokenForUser([TODO], homeAccountId))),
        Promise.all(Array.from({ length: 20 }, () => worker.getTokenForApp('api://todo-api/.default'))),
      ]);
      expect(new Set(forUser.map((t) => t.accessToken)).size).toBe(1);
      expect(claimsOf(forUser[0].accessToken)).toMatchObject({ oid: alice.oid, scp: 'access_as_user' });
      expect(new Set(forApp.map((t) => t.accessToken)).size).toBe(1);
      expect(emulator.control.counters().grantTypes).toEqual({ refresh_token: 1, client_credentials: 1 });
    });

    it('gets app tokens for the app, from the cache the second time', async () => {
      const app = await worker.getTokenForApp('https://graph.microsoft.com/.default');
      expect(claimsOf(app.accessToken)).toMatchObject({ appid: webApp.clientId });
      expect(claimsOf(app.accessToken).scp).toBeUndefined();
      emulator.control.resetCounters();
      expect((await worker.getTokenForApp('https://graph.microsoft.com/.default')).accessToken).toBe(
        app.accessToken,
      );
      expect(emulator.control.counters().grantTypes).toEqual({});
    });

    it('gets a token on behalf of the caller of an API', async () => {
      const incoming = await worker.getTokenForUser([TODO], homeAccountId);
      emulator.control.grantConsent(alice.username, todoApi.clientId, ['User.Read']);
      const api = createTokenAcquirer(appSettingsOf(emulator, todoApi));
      try {
        const obo = await api.getTokenOnBehalfOf(['User.Read'], incoming.accessToken);
        expect(claimsOf(obo.accessToken)).toMatchObject({ oid: alice.oid, appid: todoApi.clientId });
      } finally {
        await api.close();
      }
    });

    it('raises challenge_user for a user the store has nothing for, and after they signed out', async () => {
      await expect(
        worker.getTokenForUser([GRAPH_USER_READ], 'unknown-oid.unknown-tid'),
      ).rejects.toMatchObject({
        code: 'challenge_user',
      });
      const signOut = await fetch(`${web.baseUrl}/account/signout`, {
        method: 'POST',
        headers: { cookie, 'sec-fetch-site': 'same-origin' }, // as the app's own sign-out button sends it
        redirect: 'manual',
      });
      expect(signOut.status).toBe(302);
      const fresh = createTokenAcquirer({ ...appSettingsOf(emulator), tokenCache: shared.tokenCache });
      try {
        await expect(fresh.getTokenForUser([GRAPH_USER_READ], homeAccountId)).rejects.toMatchObject({
          code: 'challenge_user',
        });
      } finally {
        await fresh.close();
      }
    });
  });

  it('finishes the requests in progress on close, then refuses new ones', async () => {
    const worker = createTokenAcquirer(appSettingsOf(emulator));
    const inProgress = worker.getTokenForApp('api://todo-api/.default');
    const closed = worker.close();
    await expect(inProgress).resolves.toMatchObject({ accessToken: expect.any(String) });
    await closed;
    await expect(worker.getTokenForApp('api://todo-api/.default')).rejects.toMatchObject({
      code: 'invalid_call',
      message: expect.stringContaining('closed'),
    });
    expect(worker.close()).toBe(closed);
  });

  it('lets a script end on its own once closed: its Redis connections too, nothing is left running', async () => {
    // The emulator runs in this process: the script holds only what the library opened, here
    // Redis connections for a store it built from configuration.
    const redis = sharedRedis();
    try {
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ['-r', 'ts-node/register/transpile-only', join(__dirname, 'support', 'one-shot.worker.ts')],
        {
          env: {
            ...process.env,
            TS_NODE_SWC: 'true',
            WORKER_SETTINGS: JSON.stringify({
              AzureAd: azureAdSettings(emulator),
              IdentityWeb: { TokenCache: redis.tokenCache },
            }),
          },
          timeout: 50_000, // compiling the library with ts-node takes most of it
        },
      );
      expect(stdout).toMatch(/^token of \d+ characters; closed$/m);
    } finally {
      await redis.cleanup?.();
    }
  }, 60_000);

  it('needs no session secret, even in production, and refuses a bad configuration naming the key', () => {
    const warnings: string[] = [];
    const worker = createTokenAcquirer(appSettingsOf(emulator), {
      env: { NODE_ENV: 'production' },
      logger: { warn: (message: unknown) => void warnings.push(String(message)) },
    });
    void worker.close();
    expect(warnings.filter((w) => /session/i.test(w))).toEqual([]);

    let error: unknown;
    try {
      const { ClientId: _missing, ...withoutClientId } = azureAdSettings(emulator);
      createTokenAcquirer({ AzureAd: withoutClientId }, { env: {} });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(OptionsValidationError);
    expect((error as IdentityWebError).message).toContain('AzureAd:ClientId');
  });
});
