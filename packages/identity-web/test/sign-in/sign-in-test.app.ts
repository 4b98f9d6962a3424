import {
  Body,
  Controller,
  Get,
  Module,
  Post,
  Query,
  UseGuards,
  type INestApplication,
  type LoggerService,
} from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { NestFactory } from '@nestjs/core';
import type { Store } from 'express-session';
import type { AddressInfo } from 'node:net';
import {
  AllowAnonymous,
  AllowCrossOrigin,
  CurrentUser,
  IdentityWebModule,
  TokenAcquisitionService,
  type IdentityWebModuleOptions,
  type SignedInUser,
} from 'nest-identity-web';
import { escapeHtml } from '../../src/http/error-page';

/** What the POST routes received, in order, for tests that check a refused request ran nothing. */
export const receivedPosts: { route: string; note: string }[] = [];

/** Scope the `/token` page asks for, so a restart needs a challenge. */
export const PAGE_SCOPES = ['https://graph.microsoft.com/User.Read'];

@Controller()
class PagesController {
  constructor(private readonly tokens: TokenAcquisitionService) {}

  @AllowAnonymous()
  @Get()
  home(@CurrentUser() user: SignedInUser | undefined): string {
    return page('Home', user ? `Signed in as ${user.name}` : 'Anonymous');
  }

  @Get('profile')
  profile(@CurrentUser() user: SignedInUser, @Query('tab') tab: string | undefined): string {
    return page(
      'Profile',
      `<span id="name">${escapeHtml(user.name ?? '')}</span> tab=<span id="tab">${escapeHtml(tab ?? '')}</span>`,
    );
  }

  @Get('token')
  async token(): Promise<string> {
    const token = await this.tokens.getAccessTokenForUser(PAGE_SCOPES);
    return page('Token', `<span id="token-scopes">${escapeHtml(token.scopes.join(' '))}</span>`);
  }

  /** Sign-in through the strategy's passport name, as `@nestjs/passport` users write it. */
  @AllowAnonymous()
  @UseGuards(AuthGuard('entra-id'))
  @Get('login')
  login(): void {}

  @Post('notes')
  addNote(@Body() body: { note?: string }): string {
    receivedPosts.push({ route: 'notes', note: String(body?.note) });
    return page('Saved', 'Saved');
  }

  /** A route another site's page may post to (a partner's return page). */
  @AllowCrossOrigin()
  @Post('partner-return')
  partnerReturn(@Body() body: { note?: string }): string {
    receivedPosts.push({ route: 'partner-return', note: String(body?.note) });
    return page('Saved', 'Saved');
  }

  @Get('api/me')
  me(@CurrentUser() user: SignedInUser): { username: string } {
    return { username: user.username };
  }
}

function page(title: string, body: string): string {
  return `<!doctype html><html><head><title>${title}</title></head><body><h1>${title}</h1><p>${body}</p></body></html>`;
}

/** A running test app and what the tests inspect. */
export interface SignInTestApp {
  app: INestApplication;
  baseUrl: string;
  tokens: TokenAcquisitionService;
  close(): Promise<void>;
}

/** Module options for the emulator's default web app; `azureAd` extras are merged in. */
export function testOptions(
  emulator: { baseUrl: string; tenantId: string },
  app: { clientId: string; clientSecret: string },
  sessionStore: Store,
  azureAd: Partial<IdentityWebModuleOptions['azureAd']> = {},
): IdentityWebModuleOptions {
  return {
    azureAd: {
      instance: `${emulator.baseUrl}/`,
      tenantId: emulator.tenantId,
      clientId: app.clientId,
      callbackPath: '/signin-oidc',
      signedOutCallbackPath: '/signout-callback-oidc',
      clientCredentials: [{ sourceType: 'ClientSecret', clientSecret: app.clientSecret }],
      httpTimeoutMs: 5_000,
      ...azureAd,
    },
    session: { secret: 'a-test-session-secret-of-32-characters!!', store: sessionStore },
  };
}

/** Starts the test app (the library's module, as users import it) on a free port of localhost; silent unless given a logger. */
export async function startSignInTestApp(
  options: IdentityWebModuleOptions,
  logger: LoggerService | false = false,
  where: { port?: number; instanceId?: string } = {},
): Promise<SignInTestApp> {
  @Module({ imports: [IdentityWebModule.forRoot(options)], controllers: [PagesController] })
  class SignInTestModule {}

  const app = await NestFactory.create(SignInTestModule, { logger });
  if (where.instanceId !== undefined) {
    // Which instance answered, for tests of several instances behind a proxy.
    app.use((_req: unknown, res: { setHeader(name: string, value: string): void }, next: () => void) => {
      res.setHeader('X-Instance-Id', where.instanceId!);
      next();
    });
  }
  await app.listen(where.port ?? 0);
  const port = (app.getHttpServer().address() as AddressInfo).port;
  return {
    app,
    baseUrl: `http://localhost:${port}`,
    tokens: app.get(TokenAcquisitionService),
    close: () => app.close(),
  };
}
