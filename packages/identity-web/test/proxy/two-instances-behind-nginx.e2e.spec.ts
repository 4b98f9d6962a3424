import { randomBytes, randomUUID } from 'node:crypto';
import { createClient } from '@keyv/redis';
import { DEFAULT_USERS, ensureKeyMaterial, startEmulator, type RunningEmulator } from 'entra-emulator';
import {
  answerEmulatorPages,
  newTestContext,
  signInOverHttp,
  navigate,
  useChromium,
} from 'entra-emulator/testing';
import type { IdentityWebModuleOptions } from 'nest-identity-web';
import { Client } from 'pg';
import type { Page, Response } from 'playwright-core';
import { startSignInTestApp, type SignInTestApp } from '../sign-in/sign-in-test.app';
import { freePort, startNginx, type NginxProxy } from './nginx-proxy';

const REDIS_URL = 'redis://127.0.0.1:6379';
const POSTGRES_URL = 'postgresql://postgres@127.0.0.1:5432/test';
const { alice } = DEFAULT_USERS;
const CLIENT_ID = randomUUID();
const CLIENT_SECRET = randomBytes(24).toString('base64url');

type Kind = 'Redis' | 'Postgres';

/** The emulator with an app registered for the proxy's public https origin. */
function emulatorFor(proxyPort: number): Promise<RunningEmulator> {
  const origin = `https://localhost:${proxyPort}`;
  return startEmulator({
    port: 0,
    controlApi: true,
    directory: {
      apps: [
        {
          clientId: CLIENT_ID,
          displayName: 'Two instances behind nginx',
          clientSecret: CLIENT_SECRET,
          redirectUris: [`${origin}/signin-oidc`],
          postLogoutRedirectUris: [`${origin}/signout-callback-oidc`, `${origin}/`],
        },
      ],
    },
  });
}

/** Two instances, nginx in front, everything shared in `kind`: started, killed and restarted by the tests. */
class Deployment {
  readonly instances = new Map<string, SignInTestApp>();
  proxy!: NginxProxy;
  private readonly ports: Record<string, number> = {};
  private readonly prefix = `iwtest-${randomBytes(4).toString('hex')}`;
  private readonly table = `iw_proxy9_${randomBytes(4).toString('hex')}`;
  private readonly key = { id: 'k1', key: randomBytes(32).toString('base64') };

  constructor(
    private readonly kind: Kind,
    private readonly emulator: RunningEmulator,
    private readonly proxyPort: number,
  ) {}

  private options(): IdentityWebModuleOptions {
    const shared =
      this.kind === 'Redis'
        ? { redis: { connectionString: REDIS_URL } }
        : { postgres: { connectionString: POSTGRES_URL, table: `${this.table}_tokens` } };
    return {
      azureAd: {
        instance: `${this.emulator.baseUrl}/`,
        tenantId: this.emulator.tenantId,
        clientId: CLIENT_ID,
        clientCredentials: [{ sourceType: 'ClientSecret', clientSecret: CLIENT_SECRET }],
        httpTimeoutMs: 5_000,
      },
      forwardedHeaders: 'loopback',
      session: {
        secret: 'a-shared-session-secret-of-32-characters!!',
        ...(this.kind === 'Postgres'
          ? { postgres: { connectionString: POSTGRES_URL, table: `${this.table}_sessions` } }
          : {}),
      },
      tokenCache: { ...shared, keyPrefix: this.prefix, encryptionKeys: [this.key] },
    } as unknown as IdentityWebModuleOptions;
  }

  async start(id: string): Promise<void> {
    this.ports[id] ??= await freePort();
    this.instances.set(
      id,
      await startSignInTestApp(this.options(), false, { port: this.ports[id], instanceId: id }),
    );
  }

  async stop(id: string): Promise<void> {
    await this.instances.get(id)?.close();
    this.instances.delete(id);
  }

  async up(): Promise<void> {
    await this.start('A');
    await this.start('B');
    const material = await ensureKeyMaterial();
    this.proxy = await startNginx({
      port: this.proxyPort,
      upstreams: [this.ports.A, this.ports.B],
      certificatePem: material.serverCertificatePem,
      privateKeyPem: material.serverPrivateKeyPem,
    });
  }

  async down(): Promise<void> {
    await this.proxy?.stop();
    for (const id of [...this.instances.keys()]) await this.stop(id);
    if (this.kind === 'Redis') {
      const redis = createClient({ url: REDIS_URL });
      await redis.connect();
      const keys: string[] = [];
      for await (const batch of redis.scanIterator({ MATCH: `${this.prefix}:*`, COUNT: 100 }))
        keys.push(...batch);
      if (keys.length) await redis.del(keys);
      redis.destroy();
    } else {
      const pg = new Client({ connectionString: POSTGRES_URL });
      await pg.connect();
      await pg.query(`DROP TABLE IF EXISTS ${this.table}_sessions, ${this.table}_tokens`);
      await pg.end();
    }
  }
}

async function tokenRequests(emulator: RunningEmulator): Promise<number> {
  return (await emulator.control.counters()).endpoints.token ?? 0;
}

describe('two instances behind nginx (TLS, round-robin, no sticky sessions), Redis for sessions and tokens, in Chromium', () => {
  const browser = useChromium();
  let emulator: RunningEmulator;
  let deployment: Deployment;

  beforeAll(async () => {
    const proxyPort = await freePort();
    emulator = await emulatorFor(proxyPort);
    deployment = new Deployment('Redis', emulator, proxyPort);
    await deployment.up();
  }, 60_000);

  afterAll(async () => {
    await deployment?.down();
    await emulator?.close();
  });

  it('signs in, consents incrementally, survives losing an instance and restarting both, signs out', async () => {
    const context = await newTestContext(browser(), { timeoutMs: 15_000 });
    const page: Page = await context.newPage();
    const app = deployment.proxy.url;
    const answeredBy: string[] = [];
    page.on('response', (res: Response) => {
      const id = res.headers()['x-instance-id'];
      if (res.url().startsWith(app) && id) answeredBy.push(id);
    });

    // Sign in: the sign-in starts on one instance and its callback may land on the other.
    await page.goto(`${app}/profile?tab=2`);
    expect(new URL(page.url()).origin).toBe(emulator.baseUrl);
    await answerEmulatorPages(page, alice);
    await page.waitForURL(`${app}/profile?tab=2`);
    await expect(page.textContent('#name')).resolves.toBe(alice.displayName);
    const cookie = (await context.cookies(app)).find((c) => c.name === 'iw.sid');
    expect(cookie).toMatchObject({ secure: true, httpOnly: true, sameSite: 'Lax' });

    // Profile, a few times: round-robin spreads the pages over both instances.
    for (let i = 0; i < 4; i++) {
      await page.goto(`${app}/profile?tab=${i}`);
      await expect(page.textContent('#name')).resolves.toBe(alice.displayName);
    }
    expect(new Set(answeredBy)).toEqual(new Set(['A', 'B']));

    // Incremental consent for Graph: through the consent page and back to the URL with its query.
    await page.goto(`${app}/token?from=mail&n=1`);
    await answerEmulatorPages(page, alice);
    await page.waitForURL(`${app}/token?from=mail&n=1`);
    await expect(page.textContent('#token-scopes')).resolves.toMatch(/User\.Read/i);

    // Kill instance A mid-journey: the user goes on with B, without signing in again.
    await deployment.stop('A');
    answeredBy.length = 0;
    for (let i = 0; i < 3; i++) {
      await page.goto(`${app}/profile?tab=after-a`);
      await expect(page.textContent('#name')).resolves.toBe(alice.displayName);
    }
    expect(new Set(answeredBy)).toEqual(new Set(['B']));

    // Restart both (Redis kept): no prompt (no authorize request, no emulator page), and no token
    // request at all: the Graph token still valid in Redis is served by the fresh instances.
    await deployment.stop('B');
    await deployment.start('A');
    await deployment.start('B');
    const before = await emulator.control.counters();
    for (let i = 0; i < 2; i++) {
      await page.goto(`${app}/token?after=restart`);
      expect(page.url()).toBe(`${app}/token?after=restart`);
      await expect(page.textContent('#token-scopes')).resolves.toMatch(/User\.Read/i);
    }
    const after = await emulator.control.counters();
    expect(after.endpoints.authorize).toBe(before.endpoints.authorize);
    expect(after.grantTypes.authorization_code).toBe(before.grantTypes.authorization_code);
    expect(after.endpoints.token ?? 0).toBe(before.endpoints.token ?? 0);

    // Sign out on one instance: the session ends on both.
    await page.goto(`${app}/account/signout`);
    await page.waitForURL((url) => url.origin === app);
    for (let i = 0; i < 2; i++) {
      await page.goto(`${app}/profile`);
      expect(new URL(page.url()).origin).toBe(emulator.baseUrl);
      await page.goto(`${app}/`);
    }
    await context.close();
  }, 120_000);
});

describe('two instances behind nginx with PostgreSQL as the only store (HTTP cookie jar)', () => {
  let emulator: RunningEmulator;
  let deployment: Deployment;

  beforeAll(async () => {
    const proxyPort = await freePort();
    emulator = await emulatorFor(proxyPort);
    deployment = new Deployment('Postgres', emulator, proxyPort);
    await deployment.up();
  }, 60_000);

  afterAll(async () => {
    await deployment?.down();
    await emulator?.close();
  });

  it('signs in, spreads pages over both instances, survives losing one and restarting both, signs out', async () => {
    const app = deployment.proxy.url;
    const signedIn = await signInOverHttp(app, alice, { returnUrl: '/profile?tab=2' });
    expect(signedIn.returnedTo).toBe('/profile?tab=2');
    const setCookie = signedIn.response.headers['set-cookie']?.find((c) => c.startsWith('iw.sid=')) ?? '';
    for (const flag of ['Secure', 'HttpOnly', 'SameSite=Lax']) expect(setCookie.split('; ')).toContain(flag);
    const { jar } = signedIn;
    const html = { accept: 'text/html' };
    const answeredBy = new Set<string>();
    for (let i = 0; i < 4; i++) {
      const res = await navigate(`${app}/profile?tab=${i}`, { jar, headers: html });
      expect(res.status).toBe(200);
      expect(res.body).toContain(alice.displayName);
      answeredBy.add(String(res.headers['x-instance-id']));
    }
    expect(answeredBy).toEqual(new Set(['A', 'B']));

    await deployment.stop('A');
    const onB = await navigate(`${app}/profile`, { jar, headers: html });
    expect({ status: onB.status, by: onB.headers['x-instance-id'] }).toEqual({ status: 200, by: 'B' });

    await deployment.stop('B');
    await deployment.start('A');
    await deployment.start('B');
    const before = await tokenRequests(emulator);
    for (let i = 0; i < 2; i++) {
      const afterRestart = await navigate(`${app}/profile`, { jar, headers: html });
      expect(afterRestart.status).toBe(200);
      expect(afterRestart.body).toContain(alice.displayName);
    }
    expect(await tokenRequests(emulator)).toBe(before);

    const signOut = await navigate(`${app}/account/signout`, { jar, headers: html });
    expect(signOut.status).toBe(302);
    for (let i = 0; i < 2; i++) {
      const res = await navigate(`${app}/profile`, { jar, headers: html });
      expect(res.status).toBe(302);
    }
  }, 120_000);
});
