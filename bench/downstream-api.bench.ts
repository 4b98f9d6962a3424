/**
 * Benchmark of DownstreamApiService (issue 4): not a test, no assertions. Throughput of
 * `getForUser` with a cached token against plain axios sending a fixed bearer header, both
 * calling the same loopback API (a separate process), measured in alternating rounds in one run.
 * Run with `npm run bench:downstream` (see bench/README.md).
 */
import axios from 'axios';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Agent } from 'node:http';
import { once } from 'node:events';
import { DEFAULT_APPS, DEFAULT_USERS, startEmulator } from '../packages/entra-emulator/src';
import { AuthorizationHeaderProvider } from '../packages/identity-web/src/downstream-api/authorization-header.provider';
import { DownstreamApiService } from '../packages/identity-web/src/downstream-api/downstream-api.service';
import { DownstreamTransports } from '../packages/identity-web/src/downstream-api/downstream-transports';
import { normalizeOptions } from '../packages/identity-web/src/options/normalize-options';
import { signIn, withSignIn } from '../packages/identity-web/test/token-acquisition/support/sign-in.driver';

const TODO = 'api://todo-api/access_as_user';
const ROUNDS = 12;
const REQUESTS_PER_ROUND = 3_000;
const CONCURRENCY = 16;

/** A loopback API in its own process, answering a small JSON list like the todo API does. */
async function startLoopbackApi(): Promise<{ url: string; child: ChildProcess }> {
  const source = `
    const body = JSON.stringify([{ id: 1, title: 'milk', done: false }, { id: 2, title: 'bread', done: true }]);
    require('node:http').createServer((req, res) => {
      if (!req.headers.authorization) { res.writeHead(401).end(); return; }
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(body);
    }).listen(0, '127.0.0.1', function () { process.stdout.write(String(this.address().port) + '\\n'); });`;
  const child = spawn(process.execPath, ['-e', source], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [chunk] = (await once(child.stdout!, 'data')) as [Buffer];
  return { url: `http://127.0.0.1:${chunk.toString().trim()}`, child };
}

/** Requests per second of `call`, `total` calls with `CONCURRENCY` in flight. */
async function throughput(total: number, call: () => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next++ < total) await call();
    }),
  );
  return total / (Number(process.hrtime.bigint() - started) / 1e9);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function main(): Promise<void> {
  const emulator = await startEmulator({ port: 0, controlApi: true });
  const api = await startLoopbackApi();
  try {
    const options = normalizeOptions(
      {
        azureAd: {
          instance: emulator.baseUrl,
          tenantId: emulator.tenantId,
          clientId: DEFAULT_APPS.webApp.clientId,
          clientCredentials: [{ sourceType: 'ClientSecret', clientSecret: DEFAULT_APPS.webApp.clientSecret }],
        },
        downstreamApis: { TodoList: { baseUrl: api.url, scopes: [TODO] } },
        session: { secret: randomBytes(32).toString('hex') },
      },
      {},
      { warn: () => undefined },
    );
    const stack = withSignIn(options);
    const tokens = stack.tokens;
    const { user } = await signIn(stack, DEFAULT_APPS.webApp.clientId, DEFAULT_USERS.alice, {
      scopes: ['openid', 'profile', 'offline_access', TODO],
    });
    const service = new DownstreamApiService(
      options,
      new AuthorizationHeaderProvider(tokens),
      new DownstreamTransports(), // the transports IdentityWebModule gives the service
    );
    const bearer = `Bearer ${(await tokens.getAccessTokenForUser([TODO], { user })).accessToken}`;
    const plain = axios.create({ httpAgent: new Agent({ keepAlive: true }), baseURL: api.url });

    const variants = {
      'plain axios, fixed bearer header': () =>
        plain.get('/api/todolist', { headers: { authorization: bearer } }),
      'DownstreamApiService.getForUser': () =>
        service.getForUser('TodoList', { relativePath: 'api/todolist', user }),
    };
    // Warm both (JIT, sockets), then alternate rounds so drift on a shared machine hits both.
    for (const call of Object.values(variants)) await throughput(2_000, call);
    const rates: Record<string, number[]> = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? Object.entries(variants) : Object.entries(variants).reverse();
      for (const [name, call] of order) rates[name].push(await throughput(REQUESTS_PER_ROUND, call));
    }
    const baselineRates = rates['plain axios, fixed bearer header'];
    const baseline = median(baselineRates);
    // Each round measures every variant back to back: the ratio within a round is what drift on a
    // shared machine disturbs least, so the verdict uses the median of those paired ratios.
    const pairedRatio = (values: number[]) => median(values.map((v, i) => v / baselineRates[i]));
    console.log(
      `\nThroughput against a loopback API (${CONCURRENCY} in flight, ${ROUNDS} rounds × ${REQUESTS_PER_ROUND} requests)\n`,
    );
    console.table(
      Object.entries(rates).map(([name, values]) => ({
        variant: name,
        'median req/s': Math.round(median(values)),
        'min req/s': Math.round(Math.min(...values)),
        'max req/s': Math.round(Math.max(...values)),
        'ratio of medians': `${(median(values) / baseline).toFixed(3)}×`,
        'median paired ratio': `${pairedRatio(values).toFixed(3)}×`,
      })),
    );
    const ours = pairedRatio(rates['DownstreamApiService.getForUser']);
    console.log(
      `Goal: DownstreamApiService ≥ 0.95× plain axios: ${ours.toFixed(3)}×, ${ours >= 0.95 ? 'met' : 'NOT met'}.`,
    );
  } finally {
    api.child.kill();
    await emulator.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
