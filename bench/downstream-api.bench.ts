/**
 * Benchmark of DownstreamApiService and its transports (issues 4 and 14): not a test, no
 * assertions. Four variants call the same loopback JSON API (a separate process), rounds
 * interleaved in one run: axios and undici used by hand with a fixed bearer header, and
 * `getForUser` (a signed-in user, cached token) over the axios and the undici transport. Prints
 * requests per second and the CPU each request costs this (the calling) process.
 * Run with `npm run bench:downstream` (see bench/README.md).
 */
import axios from 'axios';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Agent as HttpAgent } from 'node:http';
import { once } from 'node:events';
import { Agent as UndiciAgent } from 'undici';
import { DEFAULT_APPS, DEFAULT_USERS, startEmulator } from '../packages/entra-emulator/src';
import { AuthorizationHeaderProvider } from '../packages/identity-web/src/downstream-api/authorization-header.provider';
import { DownstreamApiService } from '../packages/identity-web/src/downstream-api/downstream-api.service';
import { DownstreamTransports } from '../packages/identity-web/src/downstream-api/downstream-transports';
import { normalizeOptions } from '../packages/identity-web/src/options/normalize-options';
import { signIn, withSignIn } from '../packages/identity-web/test/token-acquisition/support/sign-in.driver';

const TODO = 'api://todo-api/access_as_user';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 12);
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

interface Round {
  rate: number;
  /** CPU of this process (user + system) per request, µs. */
  cpuUs: number;
}

/** `total` calls with `CONCURRENCY` in flight: requests per second and CPU per request. */
async function measure(total: number, call: () => Promise<unknown>): Promise<Round> {
  let next = 0;
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next++ < total) await call();
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const used = process.cpuUsage(cpu);
  return { rate: total / seconds, cpuUs: (used.user + used.system) / total };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function main(): Promise<void> {
  const emulator = await startEmulator({ port: 0, controlApi: true });
  const api = await startLoopbackApi();
  const transports = new DownstreamTransports(); // the transports IdentityWebModule gives the service
  const rawUndici = new UndiciAgent({ keepAliveTimeout: 4_000 });
  try {
    const options = normalizeOptions(
      {
        azureAd: {
          instance: emulator.baseUrl,
          tenantId: emulator.tenantId,
          clientId: DEFAULT_APPS.webApp.clientId,
          clientCredentials: [{ sourceType: 'ClientSecret', clientSecret: DEFAULT_APPS.webApp.clientSecret }],
        },
        downstreamApis: {
          OverAxios: { baseUrl: api.url, scopes: [TODO], transport: 'axios' },
          OverUndici: { baseUrl: api.url, scopes: [TODO], transport: 'undici' },
        },
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
    const service = new DownstreamApiService(options, new AuthorizationHeaderProvider(tokens), transports);
    const bearer = `Bearer ${(await tokens.getAccessTokenForUser([TODO], { user })).accessToken}`;
    const plain = axios.create({ httpAgent: new HttpAgent({ keepAlive: true }), baseURL: api.url });
    const origin = api.url;

    const variants: Record<string, () => Promise<unknown>> = {
      'raw axios': () => plain.get('/api/todolist', { headers: { authorization: bearer } }),
      'raw undici': async () => {
        const { body } = await rawUndici.request({
          origin,
          path: '/api/todolist',
          method: 'GET',
          headers: { authorization: bearer, accept: 'application/json' },
        });
        return body.json();
      },
      'service over axios': () => service.getForUser('OverAxios', { relativePath: 'api/todolist', user }),
      'service over undici': () => service.getForUser('OverUndici', { relativePath: 'api/todolist', user }),
    };
    const names = Object.keys(variants);
    // Warm every variant (JIT, sockets), then rotate the order each round so drift on a shared
    // machine hits all of them alike.
    for (const call of Object.values(variants)) await measure(2_000, call);
    const rounds: Record<string, Round[]> = Object.fromEntries(names.map((k) => [k, []]));
    for (let round = 0; round < ROUNDS; round++) {
      const order = names.map((_, i) => names[(i + round) % names.length]);
      for (const name of order) rounds[name].push(await measure(REQUESTS_PER_ROUND, variants[name]));
    }

    const rate = (name: string) => rounds[name].map((r) => r.rate);
    // The ratio within a round is what drift disturbs least: verdicts use the median of those.
    const paired = (name: string, baseline: string) =>
      median(rate(name).map((value, i) => value / rate(baseline)[i]));
    console.log(
      `\nThroughput against a loopback API (${CONCURRENCY} in flight, ${ROUNDS} rounds × ${REQUESTS_PER_ROUND} requests, Node ${process.version})\n`,
    );
    console.table(
      names.map((name) => ({
        variant: name,
        'median req/s': Math.round(median(rate(name))),
        'min–max req/s': `${Math.round(Math.min(...rate(name)))}–${Math.round(Math.max(...rate(name)))}`,
        'CPU µs/request': median(rounds[name].map((r) => r.cpuUs)).toFixed(1),
        'vs raw axios': `${paired(name, 'raw axios').toFixed(3)}×`,
        'vs raw undici': `${paired(name, 'raw undici').toFixed(3)}×`,
      })),
    );
    const speedUp = paired('service over undici', 'service over axios');
    const floor = paired('service over undici', 'raw undici');
    console.log(
      `Goal: service over undici ≥ 1.3× service over axios: ${speedUp.toFixed(3)}×, ${speedUp >= 1.3 ? 'met' : 'NOT met'}.`,
    );
    console.log(
      `Goal: service over undici ≥ 0.95× raw undici: ${floor.toFixed(3)}×, ${floor >= 0.95 ? 'met' : 'NOT met'}.`,
    );
  } finally {
    await transports.close();
    await rawUndici.close();
    api.child.kill();
    await emulator.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
