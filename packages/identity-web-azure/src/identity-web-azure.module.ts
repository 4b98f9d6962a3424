import { Module, type DynamicModule } from '@nestjs/common';
import { MicrosoftIdentityTokenCredential } from './credential/microsoft-identity-token.credential';
import {
  IdentityWebAzureConfigurableModule,
  type IdentityWebAzureForRootOptions,
} from './identity-web-azure.module-definition';

/**
 * Provides {@link MicrosoftIdentityTokenCredential} for Azure SDK clients, the NestJS
 * counterpart of `AddMicrosoftIdentityAzureTokenCredential()`. Import it next to
 * `IdentityWebModule`, whose token acquisition it uses; it is global, so any controller or
 * service can inject the credential. Without options the credential acts for the signed-in user.
 *
 * @example
 * ```ts
 * @Module({
 *   imports: [
 *     IdentityWebModule.forRoot({ azureAd: { instance, tenantId, clientId, clientCredentials } }),
 *     IdentityWebAzureModule.forRoot(),
 *   ],
 *   controllers: [BlobsController],
 * })
 * export class AppModule {}
 * ```
 */
@Module({
  providers: [MicrosoftIdentityTokenCredential],
  exports: [MicrosoftIdentityTokenCredential],
})
export class IdentityWebAzureModule extends IdentityWebAzureConfigurableModule {
  /**
   * Registers the credential; without options it acts for the signed-in user.
   *
   * @example
   * ```ts
   * IdentityWebAzureModule.forRoot(); // or forRoot({ requestAppToken: true }) for an app-only credential
   * ```
   */
  static override forRoot(options: IdentityWebAzureForRootOptions = {}): DynamicModule {
    return super.forRoot(options);
  }
}
