import { randomBytes, randomUUID } from 'node:crypto';
import { createClient } from '@keyv/redis';
import { setTimeout as sleep } from 'node:timers/promises';
import { ensureKeyMaterial, startEmulator, type RunningEmulator } from 'entra-emulator';
import { navigate } from 'entra-emulator/testing';
import { Client } from 'pg';
import { startNginx, type NginxProxy } from '../../../../scripts/nginx-proxy.mjs';
import { freePort, SampleInstance } from './sample-instance';

export const REDIS_URL = 'redis://127.0.0.1:6379';
export const POSTGRES_URL = 'postgresql://postgres@127.0.0.1:5432/test';

/** Where the deployment keeps tokens, and sessions unless they live in the cookie. */
export type SharedStore = 'Redis' | 'Postgres';

/** `IdentityWeb:Session:Mode`: sessions in the shared store, or sealed in the cookie (no session store). */
export type SessionMode = 'store' | 'cookie';

/** The app registration of the deployment: a client of its own, redirect URIs on the proxy's origin. */
const registration = { clientId: randomUUID(), clientSecret: randomBytes(24).toString('base64url') };
/** What every instance must share: the secret signing session cookies, the key encrypting the store. */
const sessionSecret = randomBytes(32).toString('base64url');
const encryptionKey = randomBytes(32).toString('base64');

/**
 * Two instances of the sample web app (OS processes), nginx in front (TLS, round-robin, no
 * stickiness), sessions and tokens shared in `store`; instances are killed and restarted by the
 * tests. Everything in the store is namespaced by this deployment and removed by `down()`.
 */
export class SampleDeployment {
  emulator!: RunningEmulator;
  proxy!: NginxProxy;
  private readonly instances = new Map<string, SampleInstance>();
  private readonly ports: Record<string, number> = {};
  /** Output of every process this deployment ran, killed ones included, for failure messages. */
  private readonly logs: { id: string; instance: SampleInstance }[] = [];
  private readonly prefix = `iwtest-${randomBytes(4).toString('hex')}`;
  private readonly table = `iw_proxy9_${randomBytes(4).toString('hex')}`;

  constructor(
    private readonly store: SharedStore,
    private readonly sessions: SessionMode = 'store',
  ) {}

  /** The emulator with the app registered for the proxy's https origin, the instances, then nginx. */
  async up(): Promise<void> {
    const proxyPort = await freePort();
    const origin = `https://localhost:${proxyPort}`;
    this.emulator = await startEmulator({
      port: 0,
      controlApi: true,
      directory: {
        apps: [
          {
            ...registration,
            displayName: 'The sample behind nginx',
            redirectUris: [`${origin}/signin-oidc`],
            postLogoutRedirectUris: [`${origin}/signout-callback-oidc`, `${origin}/`],
          },
        ],
      },
    });
    await Promise.all([this.start('A'), this.start('B')]);
    const material = await ensureKeyMaterial();
    this.proxy = startNginx({
      port: proxyPort,
      upstreams: [this.ports.A, this.ports.B],
      certificatePem: material.serverCertificatePem,
      privateKeyPem: material.serverPrivateKeyPem,
      stdio: 'ignore',
    });
    await this.proxy.ready;
    await this.routedTo('A');
    await this.routedTo('B');
  }

  /**
   * The configuration every instance gets, as environment variables over the sample's
   * appsettings.json: the emulator, the app's client, the trusted proxy, the shared session secret,
   * the shared store and the key ring encrypting what is kept there.
   */
  private settings(): Record<string, string> {
    const stores: Record<string, string> =
      this.store === 'Redis'
        ? { IdentityWeb__TokenCache__Redis__ConnectionString: REDIS_URL }
        : {
            IdentityWeb__TokenCache__Postgres__ConnectionString: POSTGRES_URL,
            IdentityWeb__TokenCache__Postgres__Table: `${this.table}_tokens`,
            IdentityWeb__Session__Postgres__ConnectionString: POSTGRES_URL,
            IdentityWeb__Session__Postgres__Table: `${this.table}_sessions`,
          };
    return {
      AzureAd__Instance: `${this.emulator.baseUrl}/`,
      AzureAd__TenantId: this.emulator.tenantId,
      AzureAd__ClientId: registration.clientId,
      AzureAd__ClientCredentials__0__ClientSecret: registration.clientSecret,
      DownstreamApis__GraphAPI__BaseUrl: `${this.emulator.baseUrl}/v1.0`,
      IdentityWeb__ForwardedHeaders: 'loopback',
      IdentityWeb__Session__Mode: this.sessions,
      IdentityWeb__Session__Secret: sessionSecret,
      IdentityWeb__TokenCache__KeyPrefix: this.prefix,
      IdentityWeb__TokenCache__EncryptionKeys__0__Id: 'k1',
      IdentityWeb__TokenCache__EncryptionKeys__0__Key: encryptionKey,
      ...stores,
    };
  }

  /**
   * Starts instance `id` (a new process, on the port nginx knows it by) and waits until it answers,
   * and, once nginx runs, until nginx sends it requests again (nginx skips a port that failed
   * for a couple of seconds).
   */
  async start(id: string): Promise<void> {
    if (this.instances.get(id)?.running) throw new Error(`instance ${id} is already running`);
    this.ports[id] ??= await freePort();
    const instance = await SampleInstance.start(id, this.ports[id], this.settings());
    this.instances.set(id, instance);
    this.logs.push({ id, instance });
    if (this.proxy) await this.routedTo(id);
  }

  /** Waits until an anonymous request through nginx is answered by instance `id`. */
  private async routedTo(id: string, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const answer = await navigate(`${this.proxy.url}/`).catch(() => undefined);
      if (answer?.headers['x-instance-id'] === id) return;
      await sleep(100);
    }
    throw new Error(`nginx did not send requests to instance ${id} within ${timeoutMs} ms`);
  }

  /** SIGKILL: instance `id` dies on the spot, as in a crash; nothing is closed cleanly. */
  async kill(id: string): Promise<void> {
    await this.instances.get(id)?.kill('SIGKILL');
    this.instances.delete(id);
  }

  /** Every process's output, for a failure message. */
  output(): string {
    return this.logs.map(({ id, instance }) => `--- instance ${id} ---\n${instance.log}`).join('\n');
  }

  /** Runs `journey`; a failure carries the instances' output. */
  async explainFailures(journey: () => Promise<void>): Promise<void> {
    try {
      await journey();
    } catch (err) {
      if (err instanceof Error) err.message += `\n\nOutput of the instances:\n${this.output()}`;
      throw err;
    }
  }

  /** The Redis keys under this deployment's prefix (all of them removed when `remove` says so). */
  async redisKeys(remove = false): Promise<string[]> {
    const redis = createClient({ url: REDIS_URL });
    await redis.connect();
    try {
      const keys: string[] = [];
      for await (const batch of redis.scanIterator({ MATCH: `${this.prefix}:*`, COUNT: 100 }))
        keys.push(...batch);
      if (remove && keys.length) await redis.del(keys);
      return keys;
    } finally {
      redis.destroy();
    }
  }

  /** Stops nginx and every instance, removes what the deployment stored, closes the emulator. */
  async down(): Promise<void> {
    await this.proxy?.stop();
    await Promise.all([...this.instances.values()].map((instance) => instance.kill('SIGKILL')));
    this.instances.clear();
    if (this.store === 'Redis') {
      await this.redisKeys(true);
    } else {
      const pg = new Client({ connectionString: POSTGRES_URL });
      await pg.connect();
      await pg.query(`DROP TABLE IF EXISTS ${this.table}_sessions, ${this.table}_tokens`);
      await pg.end();
    }
    await this.emulator?.close();
  }
}
