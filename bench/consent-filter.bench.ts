/**
 * Benchmark of the consent part's cost on every request (issue 11): not a test, no assertions.
 * The consent filter now reads a route's `@AuthorizeForScopes` options itself, so the module no
 * longer registers a global interceptor; this prints what a request costs the app with the module
 * as it is, against the same app with the former global interceptor added back (an rxjs
 * `catchError` around every handler, which is what it cost on the success path), rounds interleaved.
 * Server CPU per request is measured in this process; the load comes from a child process.
 * Run with `npm run bench:consent` (see bench/README.md).
 */
import 'reflect-metadata';
import {
  type CallHandler,
  Controller,
  type ExecutionContext,
  Get,
  type INestApplication,
  Module,
  type NestInterceptor,
} from '@nestjs/common';
import { APP_INTERCEPTOR, NestFactory } from '@nestjs/core';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { catchError, throwError, type Observable } from 'rxjs';
import { DEFAULT_APPS, startEmulator } from '../packages/entra-emulator/src';
import { azureAdSettings } from '../packages/entra-emulator/src/testing';
import { AuthorizeForScopes } from '../packages/identity-web/src/consent/authorize-for-scopes.decorator';
import { IdentityWebModule } from '../packages/identity-web/src/identity-web.module';
import { AllowAnonymous } from '../packages/identity-web/src/sign-in/allow-anonymous.decorator';

const ROUNDS = 10;
const REQUESTS_PER_ROUND = 4_000;
const CONCURRENCY = 16;

@Controller()
@AllowAnonymous()
class PagesController {
  @Get('plain') plain(): string {
    return 'ok';
  }

  @Get('decorated') @AuthorizeForScopes({ scopes: ['Mail.Read'] }) decorated(): string {
    return 'ok';
  }
}

/** The baseline: what the removed global interceptor did around every handler that succeeds. */
class FormerGlobalInterceptor implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(catchError((err: unknown) => throwError(() => err)));
  }
}

async function startApp(
  baseUrl: string,
  tenantId: string,
  withInterceptor: boolean,
): Promise<INestApplication> {
  @Module({
    imports: [
      IdentityWebModule.forRoot({
        AzureAd: azureAdSettings({ baseUrl, tenantId }, DEFAULT_APPS.webApp),
        IdentityWeb: { Session: { Secret: 'a-benchmark-session-secret-of-some-length' } },
      }),
    ],
    controllers: [PagesController],
    providers: withInterceptor ? [{ provide: APP_INTERCEPTOR, useClass: FormerGlobalInterceptor }] : [],
  })
  class BenchModule {}
  const app = await NestFactory.create(BenchModule, { logger: false });
  await app.listen(0, '127.0.0.1');
  return app;
}

/** A load generator in its own process: `<url> <count>` on stdin, `done` on stdout. */
function startLoad() {
  const source = `
    const http = require('node:http');
    const agent = new http.Agent({ keepAlive: true, maxSockets: ${CONCURRENCY} });
    const get = (url) => new Promise((resolve, reject) => http.get(url, { agent }, (res) => { res.resume(); res.on('end', resolve); }).on('error', reject));
    require('node:readline').createInterface({ input: process.stdin }).on('line', async (line) => {
      const [url, count] = line.split(' ');
      let next = 0;
      await Promise.all(Array.from({ length: ${CONCURRENCY} }, async () => { while (next++ < Number(count)) await get(url); }));
      process.stdout.write('done\\n');
    });`;
  const child = spawn(process.execPath, ['-e', source], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  return {
    async run(url: string, count: number): Promise<void> {
      child.stdin!.write(`${url} ${count}\n`);
      await lines.next();
    },
    stop: () => child.kill(),
  };
}

/** Server CPU µs per request and requests per second for one round. */
async function round(
  load: ReturnType<typeof startLoad>,
  url: string,
): Promise<{ cpuUs: number; rps: number }> {
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  await load.run(url, REQUESTS_PER_ROUND);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const used = process.cpuUsage(cpu);
  return { cpuUs: (used.user + used.system) / REQUESTS_PER_ROUND, rps: REQUESTS_PER_ROUND / seconds };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  const emulator = await startEmulator({ port: 0 });
  const apps = {
    now: await startApp(emulator.baseUrl, emulator.tenantId, false),
    former: await startApp(emulator.baseUrl, emulator.tenantId, true),
  };
  const load = startLoad();
  try {
    const results: Record<string, Array<{ cpuUs: number; rps: number }>> = {};
    const cases = (['plain', 'decorated'] as const).flatMap((route) =>
      (['now', 'former'] as const).map((variant) => ({ route, variant })),
    );
    for (const { route, variant } of cases) await round(load, `${await apps[variant].getUrl()}/${route}`); // warm-up
    for (let r = 0; r < ROUNDS; r++) {
      for (const { route, variant } of cases) {
        const key = `${route} ${variant}`;
        (results[key] ??= []).push(await round(load, `${await apps[variant].getUrl()}/${route}`));
      }
    }
    console.log(
      `Server CPU per request (median of ${ROUNDS} interleaved rounds of ${REQUESTS_PER_ROUND}, ${CONCURRENCY} in flight)\n`,
    );
    console.log(
      'route      | module now: µs, req/s | with the former global interceptor: µs, req/s | saved µs | ratio',
    );
    for (const route of ['plain', 'decorated']) {
      const now = results[`${route} now`];
      const former = results[`${route} former`];
      const [nowUs, formerUs] = [median(now.map((x) => x.cpuUs)), median(former.map((x) => x.cpuUs))];
      const [nowRps, formerRps] = [median(now.map((x) => x.rps)), median(former.map((x) => x.rps))];
      console.log(
        `${route.padEnd(10)} | ${nowUs.toFixed(1)} µs, ${nowRps.toFixed(0)} | ${formerUs.toFixed(1)} µs, ${formerRps.toFixed(0)} | ${(formerUs - nowUs).toFixed(1)} | ${(nowRps / formerRps).toFixed(3)}×`,
      );
    }
  } finally {
    load.stop();
    await apps.now.close();
    await apps.former.close();
    await emulator.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
