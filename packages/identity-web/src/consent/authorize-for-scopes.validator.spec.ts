import { Controller, Get } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { IdentityWebConfiguration } from '../options/identity-web.configuration';
import { IdentityWebOptions } from '../options/identity-web.options';
import { AuthorizeForScopes } from './authorize-for-scopes.decorator';
import { AuthorizeForScopesValidator } from './authorize-for-scopes.validator';
import { PendingFormPostStore } from '../sign-in/pending-form-post.store';

@Controller('ok')
@AuthorizeForScopes('DownstreamApis:GraphAPI:Scopes')
class GoodController {
  @Get() @AuthorizeForScopes({ scopes: ['Mail.Read'] }) get(): string {
    return 'ok';
  }
}

@Controller('typo')
class TypoController {
  @Get() @AuthorizeForScopes('DownstreamApis:GrapAPI:Scopes') get(): string {
    return 'never';
  }
}

async function start(controllers: Array<new () => object>): Promise<void> {
  const moduleRef = await Test.createTestingModule({
    imports: [DiscoveryModule],
    controllers,
    providers: [
      AuthorizeForScopesValidator,
      PendingFormPostStore,
      { provide: IdentityWebOptions, useValue: { accountRoutesPrefix: '/account' } },
      {
        provide: IdentityWebConfiguration,
        useValue: new IdentityWebConfiguration({ DownstreamApis: { GraphAPI: { Scopes: ['User.Read'] } } }),
      },
    ],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  try {
    await app.init();
  } finally {
    await app.close();
  }
}

describe('AuthorizeForScopesValidator', () => {
  it('starts when every key section names scopes', async () => {
    await expect(start([GoodController])).resolves.toBeUndefined();
  });

  it('stops start-up naming a key section that holds no scopes', async () => {
    await expect(start([GoodController, TypoController])).rejects.toThrow('DownstreamApis:GrapAPI:Scopes');
  });
});
