import { Controller, Get, Injectable, Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DEFAULT_USERS } from 'entra-emulator';
import {
  appUrlOf,
  azureAdSettings,
  SignInFlowError,
  signInOverHttp,
  useEmulator,
} from 'entra-emulator/testing';
import type { JWTPayload } from 'jose';
import { CookieJar } from 'tough-cookie';
import { CurrentUser, EntraIdStrategy, IdentityWebModule, type SignedInUser } from 'nest-identity-web';

/** Keeps Contoso's users only, and shows their name as the ID token's `name` upper-cased. */
@Injectable()
class ContosoOnlyStrategy extends EntraIdStrategy {
  override async validate(user: SignedInUser, claims: JWTPayload): Promise<SignedInUser | false> {
    if (!user.username.endsWith('@contoso.onmicrosoft.com')) return false;
    return { ...user, name: String(claims.name).toUpperCase() };
  }
}

@Controller()
class MeController {
  @Get('me')
  me(@CurrentUser() user: SignedInUser) {
    return { username: user.username, name: user.name };
  }
}

describe('signInStrategy: an app subclass of EntraIdStrategy decides who signs in', () => {
  const emulator = useEmulator({ controlApi: true });
  let app: INestApplication;

  beforeEach(async () => {
    @Module({
      imports: [
        IdentityWebModule.forRootAsync({
          useFactory: () => ({
            AzureAd: azureAdSettings(emulator()),
            IdentityWeb: { Session: { Secret: 'a-session-secret-of-at-least-32-characters' } },
          }),
          signInStrategy: ContosoOnlyStrategy,
        }),
      ],
      controllers: [MeController],
    })
    class AppModule {}
    app = await NestFactory.create(AppModule, { logger: false });
    await app.listen(0);
  });
  afterEach(() => app.close());

  it('keeps the user its validate returns, with what it changed', async () => {
    const { cookie, appUrl } = await signInOverHttp(app, DEFAULT_USERS.alice);
    const me = await fetch(`${appUrl}/me`, { headers: { cookie, accept: 'application/json' } });
    expect(await me.json()).toEqual({
      username: DEFAULT_USERS.alice.username,
      name: DEFAULT_USERS.alice.displayName.toUpperCase(),
    });
  });

  it('refuses the sign-in its validate refuses: 400, and no session', async () => {
    const jar = new CookieJar();
    const refusal = await signInOverHttp(app, DEFAULT_USERS.carol, { jar }).catch((err: unknown) => err);
    expect(refusal).toBeInstanceOf(SignInFlowError);
    expect((refusal as SignInFlowError).status).toBe(400);
    expect((refusal as SignInFlowError).html).toContain('Sign-in refused by the application.');
    const url = await appUrlOf(app);
    const me = await fetch(`${url}/me`, {
      headers: { cookie: await jar.getCookieString(url), accept: 'application/json' },
    });
    expect(me.status).toBe(401);
    // The browser does send a session cookie (the one that held the pending sign-in): it has no user.
    expect(await jar.getCookieString(url)).toMatch(/(^|; )iw\.sid=/);
  });
});
