/**
 * Benchmark of the token cache (issue 3): not a test, no assertions. Prints, from one run:
 *  1. authorization header for a cached user token at 1k / 10k / 100k signed-in users, p50/p99,
 *     against MSAL with one shared client and MSAL with a client per request;
 *  2. refresh storms: token requests the emulator saw;
 *  3. resident bytes per signed-in user at 100k users.
 * Run with `npm run bench` (see bench/README.md). Each section's code is in bench/support/token-cache-*.ts.
 */
import { DEFAULT_APPS, DEFAULT_USERS, startEmulator } from '../packages/entra-emulator/src';
import { signIn, withSignIn } from '../packages/identity-web/test/token-acquisition/support/sign-in.driver';
import { benchOptions, OIDC, TODO } from './support/seeding';
import { collectGarbage } from './support/stats';
import { measure, populate, printLatency, type Population } from './support/token-cache-latency';
import { printMemory } from './support/token-cache-memory';
import { printStorms, refreshStorms } from './support/token-cache-storms';

const SIZES = [100_000, 10_000, 1_000]; // largest first: its memory is measured from a clean heap
const { webApp } = DEFAULT_APPS;

async function main(): Promise<void> {
  const started = Date.now();
  if (!(globalThis as { gc?: unknown }).gc) console.warn('Run node with --expose-gc for the memory figures.');
  const emulator = await startEmulator({ port: 0, controlApi: true });
  try {
    // Real token sizes, from a real sign-in at the emulator.
    const probe = withSignIn(benchOptions(emulator));
    const { user } = await signIn(probe, webApp.clientId, DEFAULT_USERS.alice, { scopes: [...OIDC, TODO] });
    const accessToken = (await probe.tokens.getAccessTokenForUser([TODO], { user })).accessToken;
    const sizes = { accessToken: Math.max(accessToken.length, 1500), refreshToken: 1200 };
    console.log(
      `Seeded tokens: access token ${sizes.accessToken} chars (emulator issues ${accessToken.length}; Entra ~1,500-2,500), ` +
        `refresh token ${sizes.refreshToken} chars.`,
    );

    const populations: Population[] = [];
    for (const users of SIZES) {
      collectGarbage();
      const before = process.memoryUsage();
      populations.push(await populate(emulator, users, sizes, users === 100_000 ? before : undefined));
      console.log(
        `  seeded and warmed ${users.toLocaleString('en')} users (${((Date.now() - started) / 1000).toFixed(0)} s)`,
      );
    }
    const memory = populations.find((p) => p.bytesPerUser)?.bytesPerUser;
    const rows = await measure(populations);
    rows.sort((a, b) => a.users - b.users);
    printLatency(rows);

    const storms = await refreshStorms();
    printStorms(storms);

    printMemory(memory);
    console.log(`\nTotal ${((Date.now() - started) / 1000).toFixed(0)} s. Node ${process.version}.`);
  } finally {
    await emulator.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
