/**
 * Benchmark of what the module costs every request (issue 14): not a test, no assertions. A
 * signed-in user calls a route that makes no downstream call, in an app with `IdentityWebModule`
 * (signed in through the emulator's pages) and in a hand-rolled Nest app with only
 * `express-session`, with the module's resolved session settings, and a small global guard that
 * checks the session holds a user. Rounds interleaved; server CPU per request is measured in this
 * process (both apps live here, one loaded at a time), the load comes from a child process.
 * Run with `npm run bench:fixed-cost` (see bench/README.md).
 */
import 'reflect-metadata';
import {
  type CanActivate,
  Controller,
  type ExecutionContext,
  Get,
  type INestApplication,
  Injectable,
  type MiddlewareConsumer,
  Module,
  type NestModule,
  Session,
  SetMetadata,
  UnauthorizedException,
} from '@nestjs/common';
import { APP_GUARD, NestFactory, Reflector } from '@nestjs/core';
import type { NextFunction, Request, Response } from 'express';
import session from 'express-session';
import { DEFAULT_APPS, DEFAULT_USERS, startEmulator } from '../packages/entra-emulator/src';
import { azureAdSettings, signInOverHttp } from '../packages/entra-emulator/src/testing';
import { IdentityWebModule } from '../packages/identity-web/src/identity-web.module';
import { IdentityWebOptions } from '../packages/identity-web/src/options/identity-web.options';
import { expressSessionOptions } from '../packages/identity-web/src/sign-in/session.middleware';
import { cookieOf, interleavedRounds, median, roundsTable, startLoad } from './support/http-load';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const REQUESTS_PER_ROUND = 4_000;
const CONCURRENCY = 16;
const SECRET = 'a-benchmark-session-secret-of-some-length';

@Controller()
class MeController {
  @Get('me') me(): string {
    return 'ok';
  }
}

async function startLibraryApp(baseUrl: string, tenantId: string): Promise<INestApplication> {
  @Module({
    imports: [
      IdentityWebModule.forRoot({
        AzureAd: azureAdSettings({ baseUrl, tenantId }, DEFAULT_APPS.webApp),
        IdentityWeb: { Session: { Secret: SECRET } },
      }),
    ],
    controllers: [MeController],
  })
  class LibraryModule {}
  const app = await NestFactory.create(LibraryModule, { logger: false });
  await app.listen(0, '127.0.0.1');
  return app;
}

const OPEN = 'bench:open';

/** The hand-rolled guard: routes need a user in the session unless marked open. */
@Injectable()
class SessionGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}
  canActivate(context: ExecutionContext): boolean {
    if (this.reflector.getAllAndOverride<boolean>(OPEN, [context.getHandler(), context.getClass()]))
      return true;
    const req = context.switchToHttp().getRequest<Request & { session?: { user?: unknown } }>();
    if (req.session?.user) return true;
    throw new UnauthorizedException();
  }
}

@Controller()
class LoginController {
  @Get('login') @SetMetadata(OPEN, true) login(@Session() s: { user?: unknown }): string {
    // Who the user is, as the module keeps it (a SignedInUser).
    s.user = {
      homeAccountId: '00000000-0000-0000-0000-00000000a11c.7c3b6d2e-5a41-4f0e-9b8d-2c1f0a6e4d53',
      tenantId: '7c3b6d2e-5a41-4f0e-9b8d-2c1f0a6e4d53',
      localAccountId: '00000000-0000-0000-0000-00000000a11c',
      username: 'alice@contoso.onmicrosoft.com',
      name: 'Alice Smith',
      environment: 'login.microsoftonline.com',
    };
    return 'signed in';
  }
}

async function startHandRolledApp(settings: IdentityWebOptions['session']): Promise<INestApplication> {
  // The module's own express-session options, so the two apps differ only by the module.
  const handler = session(expressSessionOptions(settings, undefined));
  @Module({
    controllers: [MeController, LoginController],
    providers: [{ provide: APP_GUARD, useClass: SessionGuard }],
  })
  class HandRolledModule implements NestModule {
    configure(consumer: MiddlewareConsumer): void {
      consumer
        .apply((req: Request, res: Response, next: NextFunction) => handler(req, res, next))
        .forRoutes('{*path}');
    }
  }
  const app = await NestFactory.create(HandRolledModule, { logger: false });
  await app.listen(0, '127.0.0.1');
  return app;
}

async function main(): Promise<void> {
  const emulator = await startEmulator({ port: 0 });
  const library = await startLibraryApp(emulator.baseUrl, emulator.tenantId);
  const handRolled = await startHandRolledApp(library.get(IdentityWebOptions).session);
  const load = startLoad(CONCURRENCY);
  try {
    const signedIn = await signInOverHttp(library, DEFAULT_USERS.alice);
    const variants = {
      'hand-rolled (express-session + guard)': {
        url: `${await handRolled.getUrl()}/me`,
        cookie: cookieOf(await fetch(`${await handRolled.getUrl()}/login`)),
      },
      IdentityWebModule: {
        url: `${signedIn.appUrl}/me`,
        cookie: signedIn.cookie.replace(/;\s*/g, ';'),
      },
    };
    const results = await interleavedRounds(load, variants, ROUNDS, REQUESTS_PER_ROUND);
    console.log(
      `\nA signed-in route with no downstream call: server CPU per request and req/s (${ROUNDS} interleaved rounds of ${REQUESTS_PER_ROUND}, ${CONCURRENCY} in flight, Node ${process.version})\n`,
    );
    console.table(roundsTable(results));
    const base = results['hand-rolled (express-session + guard)'];
    const extra = median(results.IdentityWebModule.map((x, i) => x.cpuUs - base[i].cpuUs));
    console.log(
      `Goal: the module adds ≤ 50 µs of CPU per request over the hand-rolled app: +${extra.toFixed(1)} µs (median of paired rounds), ${extra <= 50 ? 'met' : 'NOT met'}.`,
    );
  } finally {
    load.stop();
    await library.close();
    await handRolled.close();
    await emulator.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
