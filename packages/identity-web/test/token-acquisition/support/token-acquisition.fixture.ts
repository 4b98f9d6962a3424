import { Test, type TestingModule } from '@nestjs/testing';
import type { RunningEmulator } from 'entra-emulator';
import { DEFAULT_APPS } from 'entra-emulator';
import { IdentityWebOptions } from '../../../src/options/identity-web.options';
import { normalizeOptions } from '../../../src/options/normalize-options';
import { Authorities } from '../../../src/token-acquisition/authorities';
import { MsalClientFactory } from '../../../src/token-acquisition/msal-client.factory';
import { tokenAcquisitionProviders } from '../../../src/token-acquisition/token-acquisition.providers';
import { TokenAcquisitionService } from '../../../src/token-acquisition/token-acquisition.service';
import { AuthorizationCodeClient } from '../../../src/sign-in/authorization-code.client';
import { HotTokenIndex } from '../../../src/token-cache/hot-token.index';
import { PartitionedTokenCache } from '../../../src/token-cache/partitioned-token-cache';
import { TokenCacheStore } from '../../../src/token-cache/token-cache.store';
import type { SignInTarget } from './sign-in.driver';

/** What a test needs: the service as Nest builds it, its store and hot index, and the sign-in part's code client. */
export interface TokenAcquisitionFixture extends SignInTarget {
  module: TestingModule;
  service: TokenAcquisitionService;
  store: TokenCacheStore;
  hotIndex: HotTokenIndex;
}

/**
 * Builds the token acquisition providers in a Nest testing module against a running emulator,
 * as the web app (or, with `app: 'todoApi'`, as the API that calls on behalf of its caller).
 */
export async function createTokenAcquisition(
  emulator: RunningEmulator,
  settings: {
    app?: 'webApp' | 'todoApi';
    clientSecret?: string;
    /** Another app registration (with `clientCredentials`), instead of one of the default apps. */
    clientId?: string;
    /** The app's `ClientCredentials`, PascalCase or camelCase, instead of its client secret. */
    clientCredentials?: unknown[];
    httpTimeoutMs?: number;
    hotIndexSize?: number;
    /** The token cache store; default: the in-memory one. */
    store?: TokenCacheStore;
    /** More `tokenCache` options (Redis, Postgres, encryption keys...), as a user writes them. */
    tokenCache?: Record<string, unknown>;
  } = {},
): Promise<TokenAcquisitionFixture> {
  const app = DEFAULT_APPS[settings.app ?? 'webApp'];
  const options = normalizeOptions(
    {
      azureAd: {
        instance: emulator.baseUrl,
        tenantId: emulator.tenantId,
        clientId: settings.clientId ?? app.clientId,
        clientCredentials: settings.clientCredentials ?? [
          { sourceType: 'ClientSecret', clientSecret: settings.clientSecret ?? app.clientSecret },
        ],
        ...(settings.httpTimeoutMs ? { httpTimeoutMs: settings.httpTimeoutMs } : {}),
      },
      ...(settings.hotIndexSize || settings.store || settings.tokenCache
        ? {
            tokenCache: {
              ...settings.tokenCache,
              ...(settings.hotIndexSize ? { hotIndexSize: settings.hotIndexSize } : {}),
              ...(settings.store ? { store: settings.store } : {}),
            },
          }
        : {}),
    },
    {},
    { warn: () => undefined }, // the session-secret warning is not this part's concern
  );
  const module = await Test.createTestingModule({
    providers: [{ provide: IdentityWebOptions, useValue: options }, ...tokenAcquisitionProviders],
  }).compile();
  const authorities = module.get(Authorities);
  return {
    module,
    service: module.get(TokenAcquisitionService),
    store: module.get(TokenCacheStore),
    hotIndex: module.get(HotTokenIndex),
    authorities,
    codes: new AuthorizationCodeClient(
      options,
      authorities,
      module.get(MsalClientFactory),
      module.get(PartitionedTokenCache),
    ),
  };
}
