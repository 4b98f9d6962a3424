import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { IdentityWebConfiguration, IdentityWebOptions, TokenAcquisitionService } from 'nest-identity-web';
import { createGraphServiceClient } from './graph-client.factory';
import { GraphAuthenticationProvider } from './graph-authentication.provider';
import { IdentityWebGraphOptions, type IdentityWebGraphModuleOptions } from './graph.options';
import { GraphServiceClient } from './graph-service-client';
import {
  IDENTITY_WEB_GRAPH_MODULE_OPTIONS,
  IdentityWebGraphConfigurableModule,
  type IdentityWebGraphForRootOptions,
} from './identity-web-graph.module-definition';
import { resolveGraphOptions } from './resolve-graph-options';

const providers: Provider[] = [
  {
    provide: IdentityWebGraphOptions,
    useFactory: (
      options: IdentityWebGraphModuleOptions,
      configuration: IdentityWebConfiguration,
      identityWebOptions: IdentityWebOptions,
    ) => resolveGraphOptions(options, configuration, identityWebOptions),
    inject: [IDENTITY_WEB_GRAPH_MODULE_OPTIONS, IdentityWebConfiguration, IdentityWebOptions],
  },
  {
    provide: GraphAuthenticationProvider,
    useFactory: (tokens: TokenAcquisitionService, options: IdentityWebGraphOptions) =>
      new GraphAuthenticationProvider(tokens, options),
    inject: [TokenAcquisitionService, IdentityWebGraphOptions],
  },
  {
    provide: GraphServiceClient,
    useFactory: createGraphServiceClient,
    inject: [GraphAuthenticationProvider, IdentityWebGraphOptions],
  },
];

/**
 * Provides a Microsoft Graph client (`GraphServiceClient`, a `@microsoft/microsoft-graph-client`
 * `Client`) that calls Graph for the signed-in user, as `AddMicrosoftGraph()` does in
 * Microsoft.Identity.Web. Import it next to `IdentityWebModule`, whose configuration section
 * `DownstreamApis:GraphAPI` (`BaseUrl`, `Scopes`, `RequestAppToken`) it reads; options given
 * here win. Global by default.
 *
 * @example
 * ```ts
 * @Module({
 *   imports: [
 *     IdentityWebModule.forRoot(appsettings), // DownstreamApis: { GraphAPI: { BaseUrl, Scopes: ['User.Read'] } }
 *     IdentityWebGraphModule.forRoot(),
 *   ],
 *   controllers: [ProfileController],
 * })
 * export class AppModule {}
 * ```
 */
@Module({
  providers,
  exports: [IdentityWebGraphOptions, GraphAuthenticationProvider, GraphServiceClient],
})
export class IdentityWebGraphModule extends IdentityWebGraphConfigurableModule {
  /**
   * Registers the client; without options it reads `DownstreamApis:GraphAPI` and calls as the
   * signed-in user.
   *
   * @example
   * ```ts
   * IdentityWebGraphModule.forRoot(); // or forRoot({ scopes: ['User.Read', 'Mail.Read'] })
   * ```
   */
  static override forRoot(options: IdentityWebGraphForRootOptions = {}): DynamicModule {
    return super.forRoot(options);
  }
}
