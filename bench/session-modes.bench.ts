/**
 * Benchmark of where sessions live (issue 9): not a test, no assertions. The same app
 * (`IdentityWebModule`, a signed-in route with no downstream call) with sessions in
 * express-session's MemoryStore (one instance only), in Redis (connect-redis, values encrypted
 * with the key ring: what several instances need with `Mode: "store"`), and in the cookie itself
 * (`Mode: "cookie"`). Server CPU per request and req/s over interleaved rounds, with paired ratios
 * to the MemoryStore; then what one cookie costs to open and seal when this process has not seen
 * it (its first request on an instance), and the cookie's size once signed in.
 * Run with `npm run bench:sessions` (see bench/README.md).
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { Controller, Get, type INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createClient } from 'redis';
import {
  DEFAULT_APPS,
  DEFAULT_USERS,
  startEmulator,
  type RunningEmulator,
} from '../packages/entra-emulator/src';
import { azureAdSettings, signInOverHttp } from '../packages/entra-emulator/src/testing';
import { IdentityWebModule } from '../packages/identity-web/src/identity-web.module';
import { SessionCookieSeal } from '../packages/identity-web/src/sign-in/session-cookie.seal';
import { interleavedRounds, median, roundsTable, startLoad } from './support/http-load';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const REQUESTS_PER_ROUND = 4_000;
const CONCURRENCY = 16;
const SECRET = 'a-benchmark-session-secret-of-some-length';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = `iwbench-${randomBytes(4).toString('hex')}`;

@Controller()
class MeController {
  @Get('me') me(): string {
    return 'ok';
  }
}

async function startApp(
  emulator: RunningEmulator,
  session: Record<string, unknown>,
): Promise<INestApplication> {
  @Module({
    imports: [
      IdentityWebModule.forRoot({
        AzureAd: azureAdSettings(emulator, DEFAULT_APPS.webApp),
        IdentityWeb: {
          Session: { Secret: SECRET, ...session },
          TokenCache: {
            KeyPrefix: PREFIX,
            EncryptionKeys: [{ Id: 'k1', Key: randomBytes(32).toString('base64') }],
          },
        },
      }),
    ],
    controllers: [MeController],
  })
  class BenchModule {}
  const app = await NestFactory.create(BenchModule, { logger: false });
  await app.listen(0, '127.0.0.1');
  return app;
}

/** CPU per call (user + system, µs) of `n` sequential calls, median of 5 runs. */
async function cpuPerCall(n: number, fn: () => Promise<unknown>): Promise<number> {
  const runs: number[] = [];
  for (let r = 0; r < 5; r++) {
    const cpu = process.cpuUsage();
    for (let i = 0; i < n; i++) await fn();
    const used = process.cpuUsage(cpu);
    runs.push((used.user + used.system) / n);
  }
  return median(runs);
}

async function main(): Promise<void> {
  const emulator = await startEmulator({ port: 0 });
  const apps: Record<string, INestApplication> = {
    'Mode "store", MemoryStore (one instance)': await startApp(emulator, {}),
    'Mode "store", Redis (encrypted)': await startApp(emulator, { Redis: { ConnectionString: REDIS_URL } }),
    'Mode "cookie"': await startApp(emulator, { Mode: 'cookie' }),
  };
  const load = startLoad(CONCURRENCY);
  try {
    const variants: Record<string, { url: string; cookie: string }> = {};
    let sealed = '';
    for (const [name, app] of Object.entries(apps)) {
      const signedIn = await signInOverHttp(app, DEFAULT_USERS.alice);
      variants[name] = { url: `${signedIn.appUrl}/me`, cookie: signedIn.cookie.replace(/;\s*/g, ';') };
      if (name === 'Mode "cookie"') sealed = /iw\.sid=([^;]+)/.exec(signedIn.cookie)![1];
    }
    const results = await interleavedRounds(load, variants, ROUNDS, REQUESTS_PER_ROUND);
    console.log(
      `\nA signed-in route with no downstream call, by where sessions live: server CPU per request and req/s ` +
        `(${ROUNDS} interleaved rounds of ${REQUESTS_PER_ROUND}, ${CONCURRENCY} in flight, Node ${process.version})\n`,
    );
    console.table(roundsTable(results));

    const seal = new SessionCookieSeal(SECRET, 'iw.sid');
    const opened = (await seal.open(sealed))!;
    const open = await cpuPerCall(2_000, () => seal.open(sealed));
    const reseal = await cpuPerCall(2_000, () => seal.seal(opened));
    console.log(
      `\nA cookie this process has not opened yet (first request on an instance): open ${open.toFixed(1)} µs CPU, ` +
        `seal ${reseal.toFixed(1)} µs CPU (jose, A256GCM; median of 5 × 2,000 calls). Repeated requests with the ` +
        `same cookie are served from the opened-cookie memory, as in the table.`,
    );
    console.log(
      `Signed-in cookie: ${'iw.sid'.length + 1 + sealed.length} bytes (name and value; the limit kept is 4,000).`,
    );
  } finally {
    load.stop();
    for (const app of Object.values(apps)) await app.close();
    await emulator.close();
    const redis = createClient({ url: REDIS_URL });
    await redis.connect();
    for await (const keys of redis.scanIterator({ MATCH: `${PREFIX}:*`, COUNT: 100 }))
      if (keys.length) await redis.del(keys);
    await redis.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
