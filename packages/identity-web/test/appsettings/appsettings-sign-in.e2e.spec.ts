import { Controller, Get, Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DEFAULT_APPS, DEFAULT_USERS } from 'entra-emulator';
import { newTestContext, signInWithPage, useChromium, useEmulator } from 'entra-emulator/testing';
import { join } from 'node:path';
import {
  CurrentUser,
  IdentityWebError,
  IdentityWebModule,
  loadAppSettings,
  TokenAcquisitionService,
  type IdentityWebAppSettings,
  type SignedInUser,
} from 'nest-identity-web';

const alice = DEFAULT_USERS.alice;
const SESSION = { Session: { Secret: 'a-test-session-secret-of-32-characters!!' } };
/** The client id of the B2C sample's app registration, as `b2c-sign-in-only/appsettings.json` has it. */
const B2C_CLIENT_ID = 'fdb91ff5-5ce6-41f3-bdbd-8267c817015d';

@Controller()
class PagesController {
  constructor(private readonly tokens: TokenAcquisitionService) {}

  @Get('profile')
  profile(@CurrentUser() user: SignedInUser) {
    return { name: user.name, username: user.username, tenantId: user.tenantId, userFlow: user.userFlow };
  }

  /** What a token request answers: a token's scopes, or the error's code and message. */
  @Get('token')
  async token() {
    try {
      const token = await this.tokens.getAccessTokenForUser(['User.Read']);
      return { scopes: token.scopes };
    } catch (err) {
      return { code: (err as IdentityWebError).code, message: (err as Error).message };
    }
  }
}

/** Starts a web app on the loaded settings, as a user's `AppModule` would. */
async function startApp(settings: IdentityWebAppSettings): Promise<{ app: INestApplication; url: string }> {
  @Module({ imports: [IdentityWebModule.forRoot(settings)], controllers: [PagesController] })
  class AppModule {}
  const app = await NestFactory.create(AppModule, { logger: false, abortOnError: false });
  await app.listen(0, '127.0.0.1');
  return { app, url: (await app.getUrl()).replace('127.0.0.1', 'localhost') };
}

describe('appsettings files users bring, signing in through Chromium against the emulator', () => {
  const emulator = useEmulator({ controlApi: true, resetBeforeEach: false });
  const browser = useChromium();
  let running: INestApplication | undefined;
  const realFetch = globalThis.fetch;

  afterEach(async () => {
    globalThis.fetch = realFetch;
    await running?.close();
    running = undefined;
  });

  /** Signs alice in to the app at `url` from its `/profile` page, and reads both pages. */
  async function signInAndRead(url: string) {
    const page = await (await newTestContext(browser())).newPage();
    await signInWithPage(page, url, alice, { startAt: '/profile' });
    expect(page.url()).toBe(`${url}/profile`);
    const profile = JSON.parse((await page.textContent('body'))!) as Record<string, string>;
    await page.goto(`${url}/token`);
    const token = JSON.parse((await page.textContent('body'))!) as Record<string, unknown>;
    await page.context().close();
    return { profile, token };
  }

  it('a B2C app that only signs users in: AzureAdB2C, no client credential, sign-in as a public client', async () => {
    emulator().control.addApp({
      clientId: B2C_CLIENT_ID,
      displayName: 'B2C sign-in only',
      publicClient: true,
      redirectUris: ['http://localhost/signin-oidc'],
    });
    // The sample's file as is; the environment points it at the emulator's B2C-style tenant.
    const settings = loadAppSettings({
      directory: join(__dirname, 'b2c-sign-in-only'),
      env: {
        AzureAdB2C__Instance: emulator().baseUrl,
        AzureAdB2C__Domain: 'contoso.onmicrosoft.com',
        AzureAdB2C__SignUpSignInPolicyId: 'B2C_1_signupsignin',
        AzureAdB2C__EditProfilePolicyId: 'B2C_1_profileediting',
        AzureAdB2C__ResetPasswordPolicyId: 'B2C_1_passwordreset',
      },
    });
    const started = await startApp({ ...settings, azureAdSection: 'AzureAdB2C', IdentityWeb: SESSION });
    running = started.app;

    const { profile, token } = await signInAndRead(started.url);
    expect(profile).toMatchObject({ username: alice.username, userFlow: 'B2C_1_signupsignin' });
    expect(token).toEqual({
      code: 'invalid_configuration',
      message:
        'AzureAdB2C:ClientCredentials is required to acquire tokens (for downstream APIs, Microsoft Graph, ' +
        'Azure SDKs): this app has no client credential, so it can only sign users in.',
    });
  });

  it('an Entra External ID (CIAM) app whose Authority is https://<tenant>.ciamlogin.com/ with no tenant', async () => {
    // The emulator answers on localhost only: route the CIAM host's requests from this process to
    // it, as DNS would. The browser only ever sees the endpoints its discovery document names.
    const ciamOrigin = 'https://contoso.ciamlogin.com';
    const requested: string[] = [];
    globalThis.fetch = (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      if (!url.startsWith(`${ciamOrigin}/`)) return realFetch(input, init);
      requested.push(new URL(url).pathname);
      return realFetch(`${emulator().baseUrl}${url.slice(ciamOrigin.length)}`, init);
    };
    const settings = loadAppSettings({
      directory: join(__dirname, 'ciam'),
      env: {
        AzureAd__ClientCredentials__0__ClientSecret: DEFAULT_APPS.webApp.clientSecret,
        AzureAd__InitialScopes__0: 'User.Read',
      },
    });
    const started = await startApp({ ...settings, IdentityWeb: SESSION });
    running = started.app;

    const { profile, token } = await signInAndRead(started.url);
    expect(requested).toContain('/contoso.onmicrosoft.com/v2.0/.well-known/openid-configuration');
    expect(profile).toMatchObject({ username: alice.username, tenantId: emulator().tenantId });
    expect(token).toEqual({ scopes: expect.arrayContaining([expect.stringMatching(/User\.Read$/i)]) });
  });
});
