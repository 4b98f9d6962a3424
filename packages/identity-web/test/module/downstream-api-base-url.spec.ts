import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AuthorizeForScopes, IdentityWebModule } from 'nest-identity-web';

const AZURE_AD = {
  Instance: 'https://login.microsoftonline.com/',
  TenantId: 'contoso.onmicrosoft.com',
  ClientId: '11111111-2222-3333-4444-555555555555',
  ClientCredentials: [{ SourceType: 'ClientSecret', ClientSecret: 'a-client-secret' }],
};

@Controller('mail')
@AuthorizeForScopes('DownstreamApis:MailScopes:Scopes')
class MailController {
  @Get() list(): string {
    return 'mail';
  }
}

/** Starts (and closes) an app whose only downstream API has no BaseUrl; resolves with the start-up error. */
async function startWith(controllers: (new () => object)[]): Promise<unknown> {
  @Module({
    imports: [
      IdentityWebModule.forRoot({
        AzureAd: AZURE_AD,
        DownstreamApis: { MailScopes: { Scopes: ['Mail.Read'] } },
        IdentityWeb: { Session: { Secret: 'a-test-session-secret-of-32-characters!!' } },
      }),
    ],
    controllers,
  })
  class AppModule {}
  const app = await NestFactory.create(AppModule, { logger: false, abortOnError: false });
  try {
    await app.init();
    return undefined;
  } catch (err) {
    return err;
  } finally {
    await app.close().catch(() => undefined);
  }
}

describe('a downstream API without BaseUrl (regression: started, then its first call failed with a generic 500)', () => {
  it('stops start-up naming DownstreamApis:<name>:BaseUrl when nothing uses it for scopes only', async () => {
    const err = await startWith([]);
    expect(err).toMatchObject({ code: 'invalid_configuration' });
    expect((err as Error).message).toMatch(/^DownstreamApis:MailScopes:BaseUrl is required/);
  });

  it('starts when an @AuthorizeForScopes takes its scopes (a scope-only entry)', async () => {
    expect(await startWith([MailController])).toBeUndefined();
  });
});
