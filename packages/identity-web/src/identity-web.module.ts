import { APP_FILTER, DiscoveryModule, HttpAdapterHost } from '@nestjs/core';
import {
  Logger,
  Module,
  Optional,
  type MiddlewareConsumer,
  type NestModule,
  type Provider,
} from '@nestjs/common';
import { IDENTITY_WEB_MODULE_OPTIONS, IdentityWebConfigurableModule } from './identity-web.module-definition';
import type { IdentityWebModuleInput } from './options/identity-web.app-settings';
import { IdentityWebConfiguration } from './options/identity-web.configuration';
import { IdentityWebOptions } from './options/identity-web.options';
import { normalizeResolvedTree } from './options/normalize-options';
import { IdentityWebErrorFilter } from './identity-web-error.filter';
import { assertExpressPlatform } from './express-platform.check';
import { consentProviders } from './consent/consent.providers';
import { downstreamApiProviders } from './downstream-api/downstream-api.providers';
import { DownstreamTransports } from './downstream-api/downstream-transports';
import { refuseGeneratedSecretWhenShared } from './sign-in/session-store.provider';
import { configureSignIn, signInProviders } from './sign-in/sign-in.providers';
import { tokenAcquisitionProviders } from './token-acquisition/token-acquisition.providers';

/** The raw configuration tree, environment overrides applied (`AzureAd__ClientId`...). */
const configurationProvider: Provider = {
  provide: IdentityWebConfiguration,
  useFactory: (input: IdentityWebModuleInput) => IdentityWebConfiguration.from(input, process.env),
  inject: [IDENTITY_WEB_MODULE_OPTIONS],
};

/**
 * Validated once, here: a bad configuration stops the app at start-up with every problem listed,
 * before any store is opened. Read from the configuration tree, whose environment overrides are
 * already applied.
 */
const optionsProvider: Provider = {
  provide: IdentityWebOptions,
  useFactory: (configuration: IdentityWebConfiguration) =>
    refuseGeneratedSecretWhenShared(
      normalizeResolvedTree(
        configuration.get<Record<string, unknown>>('') ?? {},
        process.env,
        new Logger('IdentityWeb'),
      ),
    ),
  inject: [IdentityWebConfiguration],
};

const providers: Provider[] = [
  configurationProvider,
  optionsProvider,
  ...tokenAcquisitionProviders,
  ...signInProviders,
  ...downstreamApiProviders,
  ...consentProviders,
  // App-wide: every library error becomes its HTTP answer here, and only here.
  { provide: APP_FILTER, useClass: IdentityWebErrorFilter },
];

/** Tokens other modules may inject: everything but the app-wide enhancers (APP_GUARD, APP_FILTER...). */
const exported = providers
  .map((provider) => (typeof provider === 'function' ? provider : provider.provide))
  .filter((token) => !(typeof token === 'string' && token.startsWith('APP_')))
  .filter((token) => token !== DownstreamTransports);

/**
 * Signs users in with Microsoft Entra ID and lets the app call downstream APIs on their behalf.
 * Import it once, in the root module: it is global. Options are validated at start-up; a missing
 * or malformed key stops the app with a message naming the key path.
 *
 * Provides `IdentityWebOptions` (normalised), `IdentityWebConfiguration` (key-path lookup),
 * token acquisition, and the sign-in guard, strategy and middleware (session, request context,
 * account routes under `accountRoutesPrefix`).
 *
 * @example
 * ```ts
 * // camelCase options
 * IdentityWebModule.forRoot({
 *   azureAd: { tenantId, clientId, clientCredentials: [{ sourceType: 'ClientSecret', clientSecret }] },
 *   downstreamApis: { GraphAPI: { baseUrl: 'https://graph.microsoft.com/v1.0', scopes: ['user.read'] } },
 * });
 *
 * // appsettings.json, unchanged, through @nestjs/config
 * @Module({
 *   imports: [
 *     ConfigModule.forRoot({ load: [() => loadAppSettings()] }),
 *     IdentityWebModule.forRootAsync({
 *       inject: [ConfigService],
 *       useFactory: (config: ConfigService) => ({
 *         AzureAd: config.get('AzureAd'),
 *         DownstreamApis: config.get('DownstreamApis'),
 *       }),
 *     }),
 *   ],
 * })
 * export class AppModule {}
 * ```
 */
@Module({
  imports: [DiscoveryModule],
  providers,
  exports: exported,
})
export class IdentityWebModule extends IdentityWebConfigurableModule implements NestModule {
  constructor(@Optional() private readonly adapterHost?: HttpAdapterHost) {
    super();
  }

  /**
   * Installs the sign-in middleware (session, request context, account routes) on every route;
   * refuses a platform other than Express first.
   */
  configure(consumer: MiddlewareConsumer): void {
    assertExpressPlatform(this.adapterHost);
    configureSignIn(consumer);
  }
}
