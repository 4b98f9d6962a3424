import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { DEFAULT_APPS, startEmulator, type RunningEmulator } from 'entra-emulator';
import type { IdentityWebError } from '../../src/errors';
import type { SignedInUser } from '../../src/token-acquisition/signed-in-user';
import { DistributedTokenCacheStore } from '../../src/token-cache/distributed-token-cache.store';
import { TokenCacheHealthIndicator } from '../../src/token-cache/token-cache-health.indicator';
import { signIn } from '../token-acquisition/support/sign-in.driver';
import {
  createTokenAcquisition,
  type TokenAcquisitionFixture,
} from '../token-acquisition/support/token-acquisition.fixture';

const TODO = 'api://todo-api/access_as_user';
const OIDC = ['openid', 'profile', 'offline_access'];
const { webApp } = DEFAULT_APPS;
const TIMEOUT_MS = 250;
const OUTAGE_MS = 10_000;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A redis-server of this test only (appendonly, so a restart keeps what it held, as a real one would). */
function startRedis(port: number, dir: string): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', ''],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('Ready to accept connections')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}`)));
  });
}

function stopRedis(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

describe('the token cache when its Redis stops under load', () => {
  let emulator: RunningEmulator;
  let redis: ChildProcess;
  let port: number;
  let dir: string;
  let tokens: TokenAcquisitionFixture;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, controlApi: true });
    port = await freePort();
    dir = mkdtempSync(join(tmpdir(), 'iw-redis-'));
    redis = await startRedis(port, dir);
    process.on('unhandledRejection', onUnhandled);
  });

  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    await tokens?.module.close();
    if (redis.exitCode === null) await stopRedis(redis);
    rmSync(dir, { recursive: true, force: true });
    await emulator.close();
  });

  it('serves users from L1, answers the others with a sign-in challenge, never waits past the time-out, and recovers', async () => {
    const tokenCache = {
      redis: { connectionString: `redis://127.0.0.1:${port}` },
      encryptionKeys: [{ id: 'k1', key: randomBytes(32).toString('base64') }],
      storeTimeoutMs: TIMEOUT_MS,
      // Short, so the hot index and L1 expire during the outage and the store is asked.
      l1LifetimeSeconds: 2,
    };
    const warnings: string[] = [];
    const logs: string[] = [];
    jest.spyOn(Logger.prototype, 'warn').mockImplementation((m: unknown) => void warnings.push(String(m)));
    jest.spyOn(Logger.prototype, 'log').mockImplementation((m: unknown) => void logs.push(String(m)));
    tokens = await createTokenAcquisition(emulator, { tokenCache });
    const other = await createTokenAcquisition(emulator, { tokenCache });
    const store = tokens.store as DistributedTokenCacheStore;

    // Five users signed in here (in L1); one signed in on another instance only (in Redis only).
    const users: SignedInUser[] = [];
    for (let i = 0; i < 5; i++) {
      const user = emulator.control.addUser({
        username: `load${i}@contoso.onmicrosoft.com`,
        password: 'Passw0rd!',
      });
      users.push((await signIn(tokens, webApp.clientId, user, { scopes: [...OIDC, TODO] })).user);
    }
    const remote = emulator.control.addUser({
      username: 'remote@contoso.onmicrosoft.com',
      password: 'Passw0rd!',
    });
    const remoteUser = (await signIn(other, webApp.clientId, remote, { scopes: [...OIDC, TODO] })).user;
    await other.module.close();
    const leaverConfig = emulator.control.addUser({
      username: 'leaver@contoso.onmicrosoft.com',
      password: 'Passw0rd!',
    });
    const leaver = (await signIn(tokens, webApp.clientId, leaverConfig, { scopes: [...OIDC, TODO] })).user;
    for (const user of [...users, leaver]) await tokens.service.getAccessTokenForUser([TODO], { user });

    // Load: each of the five users about 60 times a second, the remote user and app tokens too.
    const outcomes = {
      ok: 0,
      errors: new Map<string, number>(),
      remote: new Map<string, number>(),
      slowest: 0,
    };
    let running = true;
    const phase = { outage: false, started: false };
    const outageSlowest = { ms: 0 };
    const timed = async (call: () => Promise<unknown>, record: (code: string) => void) => {
      const started = performance.now();
      try {
        await call();
        record('ok');
      } catch (error) {
        record((error as IdentityWebError).code ?? String(error));
      }
      const ms = performance.now() - started;
      if (phase.outage) outageSlowest.ms = Math.max(outageSlowest.ms, ms);
    };
    const count = (map: Map<string, number>, code: string) => map.set(code, (map.get(code) ?? 0) + 1);
    const load = (async () => {
      while (running) {
        await Promise.all([
          ...users.map((user) =>
            timed(
              () => tokens.service.getAccessTokenForUser([TODO], { user }),
              (code) => (code === 'ok' ? outcomes.ok++ : count(outcomes.errors, code)),
            ),
          ),
          // Not asked before the outage, so it is in Redis only.
          ...(phase.started
            ? [
                timed(
                  () => tokens.service.getAccessTokenForUser([TODO], { user: remoteUser }),
                  (code) => count(outcomes.remote, code),
                ),
              ]
            : []),
        ]);
        await new Promise((r) => setTimeout(r, 15));
      }
    })();

    await new Promise((r) => setTimeout(r, 1000));
    phase.outage = true;
    await stopRedis(redis);
    phase.started = true;
    const stoppedAt = Date.now();
    // An app token and a sign-out while the store is down: written (queued), not failed.
    const appToken = await tokens.service.getAccessTokenForApp('api://todo-api/.default');
    expect(appToken.accessToken).toBeTruthy();
    await tokens.service.removeUser(leaver);
    await new Promise((r) => setTimeout(r, OUTAGE_MS - (Date.now() - stoppedAt)));
    expect(tokens.module.get(TokenCacheHealthIndicator).check('tokenCache')).toEqual({
      tokenCache: expect.objectContaining({
        status: 'down',
        store: 'distributed',
        circuit: expect.any(String),
      }),
    });
    expect(store.health().queuedWrites).toBeGreaterThanOrEqual(2);
    phase.outage = false;
    const remoteDuringOutage = new Map(outcomes.remote);

    redis = await startRedis(port, dir);
    const restartedAt = Date.now();
    while (store.health().status !== 'up' || store.health().queuedWrites > 0) {
      expect(Date.now() - restartedAt).toBeLessThan(5_000);
      await new Promise((r) => setTimeout(r, 50));
    }
    const recoveredMs = Date.now() - restartedAt;
    expect(tokens.module.get(TokenCacheHealthIndicator).check().tokenCache).toMatchObject({
      status: 'up',
      circuit: 'closed',
    });
    outcomes.remote.clear();
    await new Promise((r) => setTimeout(r, 500));
    running = false;
    await load;

    // Users with L1 entries saw no error; the remote user was asked to sign in again, never a 500.
    expect(outcomes.errors).toEqual(new Map());
    expect([...remoteDuringOutage.keys()].every((code) => code === 'ok' || code === 'challenge_user')).toBe(
      true,
    );
    expect(remoteDuringOutage.get('challenge_user')).toBeGreaterThan(0);
    // Back to normal: the remote user is served from Redis again; the sign-out reached Redis.
    expect(outcomes.remote.get('ok')).toBeGreaterThan(0);
    expect(outcomes.remote.has('challenge_user')).toBe(false);
    const afterSignOut = await tokens.service
      .getAccessTokenForUser([TODO], { user: leaver })
      .catch((e: IdentityWebError) => e.code);
    expect(afterSignOut).toBe('challenge_user');
    expect(unhandled).toEqual([]);
    expect(outageSlowest.ms).toBeLessThan(TIMEOUT_MS + 250);
    // The circuit's changes are logged once each, not per request.
    expect(warnings.filter((w) => w.includes('unreachable'))).toHaveLength(1);
    expect(logs.filter((l) => l.includes('reachable again'))).toHaveLength(1);
    process.stdout.write(
      `store down ${OUTAGE_MS} ms: ${outcomes.ok} calls served for L1 users, 0 errors; remote user: ` +
        `${JSON.stringify(Object.fromEntries(remoteDuringOutage))}; slowest call during the outage ` +
        `${outageSlowest.ms.toFixed(0)} ms; store up and queue replayed ${recoveredMs} ms after Redis restarted\n`,
    );
  }, 60_000);
});
