import { Controller, Get, Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DEFAULT_USERS } from 'entra-emulator';
import { azureAdSettings, signInOverHttp, useEmulator } from 'entra-emulator/testing';
import { CurrentUser, IdentityWebModule, type SignedInUser } from 'nest-identity-web';

@Controller()
class MeController {
  @Get('me')
  me(@CurrentUser() user: SignedInUser) {
    return { username: user.username };
  }
}

describe('GET /me', () => {
  const emulator = useEmulator(); // started before all tests, reset before each, closed after

  @Module({
    imports: [
      IdentityWebModule.forRootAsync({
        useFactory: () => ({
          AzureAd: azureAdSettings(emulator()), // the emulator's default web app
          IdentityWeb: { Session: { Secret: 'a-session-secret-of-at-least-32-characters' } },
        }),
      }),
    ],
    controllers: [MeController],
  })
  class AppModule {}

  let app: INestApplication;
  beforeAll(async () => {
    app = await NestFactory.create(AppModule, { logger: false });
    await app.listen(0);
  });
  afterAll(() => app.close());

  it('answers the signed-in user', async () => {
    const { cookie, appUrl } = await signInOverHttp(app, DEFAULT_USERS.alice);
    const res = await fetch(`${appUrl}/me`, { headers: { cookie } });
    expect(await res.json()).toEqual({ username: DEFAULT_USERS.alice.username });
  });
});
