import { Controller, Get, Injectable, Logger, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import * as barrel from 'nest-identity-web';
import { IdentityWebModule } from '../../src/identity-web.module';
import { IdentityWebConfiguration } from '../../src/options/identity-web.configuration';
import { IdentityWebOptions } from '../../src/options/identity-web.options';
import type { IdentityWebAppSettings } from '../../src/options/identity-web.app-settings';
import { OptionsValidationError } from '../../src/errors/options-validation.error';
import { AllowAnonymous } from '../../src/sign-in/allow-anonymous.decorator';

const CLIENT_ID = '11111111-2222-3333-4444-555555555555';

/** An appsettings.json copied from the seed guide: keys and values unchanged (Prettier re-spaced one array). */
function seedAppSettings(name: 'quickstart' | 'scopes'): Record<string, unknown> {
  return JSON.parse(readFileSync(join(__dirname, `appsettings.${name}.json`), 'utf8')) as Record<
    string,
    unknown
  >;
}

/** A feature module elsewhere in the app: the options reach it because IdentityWebModule is global. */
@Injectable()
class ProfileService {
  constructor(
    readonly options: IdentityWebOptions,
    readonly configuration: IdentityWebConfiguration,
  ) {}
}
@Module({ providers: [ProfileService], exports: [ProfileService] })
class ProfileModule {}

@Controller()
class PagesController {
  @AllowAnonymous()
  @Get()
  home(): string {
    return 'home';
  }

  @Get('profile')
  profile(): string {
    return 'profile';
  }
}

/** Sets environment variables for one test and puts the old values back. */
function withEnv(vars: Record<string, string>): () => void {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  return () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}

function viaConfigService(settings: Record<string, unknown>) {
  return [
    ConfigModule.forRoot({ load: [() => settings], ignoreEnvFile: true }),
    IdentityWebModule.forRootAsync({
      imports: [ConfigModule],
      inject: [ConfigService],
      useFactory: (config: ConfigService) => ({
        AzureAd: config.get('AzureAd'),
        DownstreamApis: config.get('DownstreamApis'),
      }),
    }),
  ];
}

async function compile(imports: unknown[]) {
  const moduleRef = await Test.createTestingModule({
    imports: [...(imports as []), ProfileModule],
  }).compile();
  return { moduleRef, profile: moduleRef.get(ProfileService) };
}

async function startupError(imports: unknown[]): Promise<OptionsValidationError> {
  const error = await compile(imports).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(OptionsValidationError);
  return error as OptionsValidationError;
}

describe('IdentityWebModule', () => {
  let warn: jest.SpyInstance;
  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => warn.mockRestore());

  describe.each(['quickstart', 'scopes'] as const)('an appsettings.json from the seed guide (%s)', (name) => {
    const settings = seedAppSettings(name);
    const azureAd = settings.AzureAd as Record<string, unknown>;
    const apis = settings.DownstreamApis as Record<string, { BaseUrl: string; Scopes: string[] }>;

    it.each([
      ['forRoot', () => [IdentityWebModule.forRoot(settings as IdentityWebAppSettings)]],
      ['forRootAsync with ConfigService', () => viaConfigService(settings)],
    ])('loads unchanged through %s', async (_how, imports) => {
      const { moduleRef, profile } = await compile(imports());
      const options = profile.options;
      expect(options.azureAd).toMatchObject({
        instance: 'https://login.microsoftonline.com/',
        tenantId: azureAd.TenantId,
        clientId: azureAd.ClientId,
        authority: `https://login.microsoftonline.com/${azureAd.TenantId as string}`,
        callbackPath: '/signin-oidc',
        signedOutCallbackPath: '/signout-callback-oidc',
        clientCredentials: [
          {
            sourceType: 'ClientSecret',
            clientSecret: (azureAd.ClientCredentials as { ClientSecret: string }[])[0]!.ClientSecret,
          },
        ],
      });
      // The injected options print without the client secret (console.log(options) in an app).
      const clientSecret = (azureAd.ClientCredentials as { ClientSecret: string }[])[0]!.ClientSecret;
      expect(inspect(options, { depth: Infinity })).not.toContain(clientSecret);
      expect(JSON.stringify(options)).not.toContain(clientSecret);
      expect(Object.keys(options.downstreamApis)).toEqual(Object.keys(apis));
      for (const [api, section] of Object.entries(apis)) {
        expect(options.downstreamApis[api]).toEqual({ baseUrl: section.BaseUrl, scopes: section.Scopes });
        expect(profile.configuration.getScopes(`DownstreamApis:${api}:Scopes`)).toEqual(section.Scopes);
        expect(profile.configuration.getScopes(`DownstreamApis:${api}:Scopes:0`)).toEqual([
          section.Scopes[0],
        ]);
      }
      expect(moduleRef.get(IdentityWebOptions)).toBe(options);
      await moduleRef.close();
    });
  });

  it('runs an app from the seed appsettings: middleware installed, sign-in required by default', async () => {
    @Module({
      imports: [IdentityWebModule.forRoot(seedAppSettings('scopes') as IdentityWebAppSettings)],
      controllers: [PagesController],
    })
    class AppModule {}
    const app = await NestFactory.create(AppModule, { logger: false, abortOnError: false });
    try {
      await app.listen(0, '127.0.0.1');
      const baseUrl = await app.getUrl();
      const home = await fetch(`${baseUrl}/`);
      expect([home.status, await home.text()]).toEqual([200, 'home']);
      const profile = await fetch(`${baseUrl}/profile`, { headers: { accept: 'application/json' } });
      expect(profile.status).toBe(401);
    } finally {
      await app.close();
    }
  });

  it('warns through the Nest logger about insecure or suspicious choices', async () => {
    const settings = seedAppSettings('scopes');
    const { moduleRef } = await compile([IdentityWebModule.forRoot(settings as IdentityWebAppSettings)]);
    const messages = warn.mock.calls.map((call) => String(call[0]));
    expect(messages).toContainEqual(expect.stringMatching(/^AzureAd:ClientId is not a GUID/));
    expect(messages).toContainEqual(expect.stringMatching(/^IdentityWeb:Session:Secret is not set/));
    await moduleRef.close();
  });

  it('accepts camelCase options and serves them to the whole app', async () => {
    const { moduleRef, profile } = await compile([
      IdentityWebModule.forRoot({
        azureAd: {
          tenantId: 'contoso.onmicrosoft.com',
          clientId: CLIENT_ID,
          clientCredentials: [{ sourceType: 'ClientSecret', clientSecret: 'secret' }],
        },
        downstreamApis: {
          TodoList: { baseUrl: 'https://localhost:5001', scopes: ['api://todo/access_as_user'] },
        },
        session: { secret: 's'.repeat(32) },
        accountRoutesPrefix: '/auth',
      }),
    ]);
    expect(profile.options.azureAd.authority).toBe(
      'https://login.microsoftonline.com/contoso.onmicrosoft.com',
    );
    expect(profile.options.accountRoutesPrefix).toBe('/auth');
    expect(profile.configuration.get('DownstreamApis:TodoList:Scopes:0')).toBe('api://todo/access_as_user');
    await moduleRef.close();
  });

  it('lets environment variables win over the configuration', async () => {
    const restore = withEnv({
      AzureAd__ClientId: CLIENT_ID,
      AZUREAD__TENANTID: 'fabrikam.onmicrosoft.com',
      DownstreamApis__TodoList__Scopes__0: 'api://todo/from-env',
      IdentityWeb__Session__Secret: 'e'.repeat(32),
    });
    try {
      const { moduleRef, profile } = await compile(viaConfigService(seedAppSettings('scopes')));
      expect(profile.options.azureAd.clientId).toBe(CLIENT_ID);
      expect(profile.options.azureAd.authority).toBe(
        'https://login.microsoftonline.com/fabrikam.onmicrosoft.com',
      );
      expect(profile.options.downstreamApis.TodoList?.scopes).toEqual(['api://todo/from-env']);
      expect(profile.options.session.secret).toBe('e'.repeat(32));
      expect(profile.configuration.getScopes('DownstreamApis:TodoList:Scopes:0')).toEqual([
        'api://todo/from-env',
      ]);
      await moduleRef.close();
    } finally {
      restore();
    }
  });

  it('is what the package exports, with the options and configuration tokens', () => {
    expect(barrel.IdentityWebModule).toBe(IdentityWebModule);
    expect(barrel.IdentityWebOptions).toBe(IdentityWebOptions);
    expect(barrel.IdentityWebConfiguration).toBe(IdentityWebConfiguration);
    expect(barrel.OptionsValidationError).toBe(OptionsValidationError);
  });

  describe('refuses to start with a bad configuration', () => {
    const complete = () => seedAppSettings('scopes') as { AzureAd: Record<string, unknown> };

    it.each([
      [
        'ClientId',
        'AzureAd:ClientId is required: the application (client) ID of the app registration (a GUID).',
      ],
      ['TenantId', 'AzureAd:TenantId is required (or give AzureAd:Authority): the directory (tenant) ID'],
      [
        'ClientCredentials',
        'AzureAd:ClientCredentials is required: DownstreamApis:TodoList (and 1 more) calls an API with tokens the app acquires',
      ],
    ])(
      'a missing AzureAd:%s gets its own message, through forRoot and forRootAsync',
      async (key, message) => {
        const settings = complete();
        delete settings.AzureAd[key];
        for (const imports of [
          [IdentityWebModule.forRoot(settings as IdentityWebAppSettings)],
          viaConfigService(settings),
        ]) {
          const error = await startupError(imports);
          expect(error.message.split('\n')).toEqual([expect.stringContaining(message)]);
          expect(error.path).toBe(`AzureAd:${key}`);
          expect(error.code).toBe('invalid_configuration');
        }
      },
    );

    it('lists every problem at once', async () => {
      const error = await startupError([
        IdentityWebModule.forRoot({
          AzureAd: { CallbackPath: 'signin' },
          DownstreamApis: { Api: { BaseUrl: 'x' } },
        }),
      ]);
      expect(error.problems.map((p) => p.path)).toEqual([
        'AzureAd:ClientId',
        'AzureAd:TenantId',
        'AzureAd:CallbackPath',
        'DownstreamApis:Api:BaseUrl',
        'AzureAd:ClientCredentials',
      ]);
      expect(error.message.split('\n')).toHaveLength(5);
    });

    it('stops NestFactory.create with the message', async () => {
      @Module({
        imports: [
          IdentityWebModule.forRoot({
            AzureAd: { TenantId: 'common' },
            DownstreamApis: { GraphAPI: { Scopes: 'User.Read' } },
          }),
        ],
      })
      class BrokenAppModule {}
      await expect(
        NestFactory.create(BrokenAppModule, { logger: false, abortOnError: false }),
      ).rejects.toThrow(/^AzureAd:ClientId is required[^\n]*\nAzureAd:ClientCredentials is required/);
    });
  });
});
