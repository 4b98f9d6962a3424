import { Test, type TestingModule } from '@nestjs/testing';
import type { RunningEmulator } from 'entra-emulator';
import { DEFAULT_APPS } from 'entra-emulator';
import { IdentityWebOptions } from '../../../src/options/identity-web.options';
import { normalizeOptions } from '../../../src/options/normalize-options';
import { tokenAcquisitionProviders } from '../../../src/token-acquisition/token-acquisition.providers';
import { TokenAcquisitionService } from '../../../src/token-acquisition/token-acquisition.service';
import { TokenCacheStore } from '../../../src/token-cache/token-cache.store';

/** What a test needs: the service as Nest builds it, and its store. */
export interface TokenAcquisitionFixture {
  module: TestingModule;
  service: TokenAcquisitionService;
  store: TokenCacheStore;
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
      ...(settings.hotIndexSize || settings.store
        ? {
            tokenCache: {
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
  return { module, service: module.get(TokenAcquisitionService), store: module.get(TokenCacheStore) };
}
