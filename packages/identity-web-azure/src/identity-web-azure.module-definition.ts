import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { MicrosoftIdentityTokenCredentialOptions } from './credential/microsoft-identity-token-credential.options';

/**
 * `IdentityWebAzureModule.forRoot(options?)` / `forRootAsync({ inject, useFactory })`, built by
 * Nest's `ConfigurableModuleBuilder`. Global unless `isGlobal: false` is passed.
 * `IDENTITY_WEB_AZURE_MODULE_OPTIONS` holds the settings of the injected credential.
 *
 * @example
 * ```ts
 * IdentityWebAzureModule.forRootAsync({
 *   inject: [ConfigService],
 *   useFactory: (config: ConfigService) => ({ tenant: config.get('Storage:TenantId') }),
 * });
 * ```
 */
export const {
  ConfigurableModuleClass: IdentityWebAzureConfigurableModule,
  MODULE_OPTIONS_TOKEN: IDENTITY_WEB_AZURE_MODULE_OPTIONS,
  OPTIONS_TYPE: IDENTITY_WEB_AZURE_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: IDENTITY_WEB_AZURE_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<MicrosoftIdentityTokenCredentialOptions>({ moduleName: 'IdentityWebAzure' })
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();

/**
 * What `IdentityWebAzureModule.forRoot()` takes: the credential's settings plus `isGlobal`.
 *
 * @example
 * ```ts
 * const options: IdentityWebAzureForRootOptions = { requestAppToken: false, isGlobal: true };
 * ```
 */
export type IdentityWebAzureForRootOptions = typeof IDENTITY_WEB_AZURE_OPTIONS_TYPE;

/**
 * What `IdentityWebAzureModule.forRootAsync()` takes: `imports`, `inject`, `useFactory` (or `useClass`), `isGlobal`.
 *
 * @example
 * ```ts
 * const options: IdentityWebAzureForRootAsyncOptions = { useFactory: () => ({ tenant: process.env.STORAGE_TENANT_ID }) };
 * ```
 */
export type IdentityWebAzureForRootAsyncOptions = typeof IDENTITY_WEB_AZURE_ASYNC_OPTIONS_TYPE;
