import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { IdentityWebModuleInput } from './options/identity-web.app-settings';

/**
 * `IdentityWebModule.forRoot(options)` / `forRootAsync({ imports, inject, useFactory })`, built by
 * Nest's `ConfigurableModuleBuilder`. The module is global unless `isGlobal: false` is passed.
 * `IDENTITY_WEB_MODULE_OPTIONS` holds the input exactly as given; inject `IdentityWebOptions`
 * for the validated, normalised options.
 *
 * @example
 * ```ts
 * IdentityWebModule.forRootAsync({
 *   imports: [ConfigModule],
 *   inject: [ConfigService],
 *   useFactory: (config: ConfigService) => ({ AzureAd: config.get('AzureAd'), DownstreamApis: config.get('DownstreamApis') }),
 * });
 * ```
 */
export const {
  ConfigurableModuleClass: IdentityWebConfigurableModule,
  MODULE_OPTIONS_TOKEN: IDENTITY_WEB_MODULE_OPTIONS,
  OPTIONS_TYPE: IDENTITY_WEB_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: IDENTITY_WEB_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<IdentityWebModuleInput>({ moduleName: 'IdentityWeb' })
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();

/**
 * What `IdentityWebModule.forRoot()` takes: the options (or appsettings object) plus `isGlobal`.
 *
 * @example
 * ```ts
 * const options: IdentityWebForRootOptions = { ...appsettings, isGlobal: true };
 * ```
 */
export type IdentityWebForRootOptions = typeof IDENTITY_WEB_OPTIONS_TYPE;
/**
 * What `IdentityWebModule.forRootAsync()` takes: `imports`, `inject`, `useFactory` (or `useClass`), `isGlobal`.
 *
 * @example
 * ```ts
 * const options: IdentityWebForRootAsyncOptions = { inject: [ConfigService], useFactory: (c: ConfigService) => c.get('IdentityWebApp')! };
 * ```
 */
export type IdentityWebForRootAsyncOptions = typeof IDENTITY_WEB_ASYNC_OPTIONS_TYPE;
