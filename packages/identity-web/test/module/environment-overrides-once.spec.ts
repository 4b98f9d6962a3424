import { Logger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { IdentityWebModule } from '../../src/identity-web.module';
import * as environment from '../../src/options/environment-overrides';
import { IdentityWebConfiguration } from '../../src/options/identity-web.configuration';
import { IdentityWebOptions } from '../../src/options/identity-web.options';

// Pass-through: the real function, counted.
jest.mock('../../src/options/environment-overrides', () => {
  const actual = jest.requireActual<typeof environment>('../../src/options/environment-overrides');
  return { ...actual, applyEnvironmentOverrides: jest.fn(actual.applyEnvironmentOverrides) };
});

const CLIENT_ID = '11111111-2222-3333-4444-555555555555';

describe('IdentityWebModule start-up', () => {
  const saved = process.env.AzureAd__TenantId;
  beforeEach(() => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    process.env.AzureAd__TenantId = 'fabrikam.onmicrosoft.com';
  });
  afterEach(() => {
    jest.restoreAllMocks();
    if (saved === undefined) delete process.env.AzureAd__TenantId;
    else process.env.AzureAd__TenantId = saved;
  });

  it('applies environment overrides once: the options are read from the resolved configuration', async () => {
    const applied = jest.mocked(environment.applyEnvironmentOverrides);
    applied.mockClear();
    const moduleRef = await Test.createTestingModule({
      imports: [
        IdentityWebModule.forRoot({
          AzureAd: {
            TenantId: 'contoso.onmicrosoft.com',
            ClientId: CLIENT_ID,
            ClientCredentials: [{ SourceType: 'ClientSecret', ClientSecret: 'a-client-secret' }],
          },
          IdentityWeb: { Session: { Secret: 's'.repeat(32) } },
        }),
      ],
    }).compile();
    try {
      expect(applied).toHaveBeenCalledTimes(1);
      expect(moduleRef.get(IdentityWebOptions).azureAd.tenantId).toBe('fabrikam.onmicrosoft.com');
      expect(moduleRef.get(IdentityWebConfiguration).get('AzureAd:TenantId')).toBe(
        'fabrikam.onmicrosoft.com',
      );
    } finally {
      await moduleRef.close();
    }
  });
});
