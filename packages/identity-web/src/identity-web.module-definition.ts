import { ConfigurableModuleBuilder, type DynamicModule, type Type } from '@nestjs/common';
import type { IdentityWebModuleInput } from './options/identity-web.app-settings';
import { EntraIdStrategy } from './sign-in/entra-id.strategy';

/** What `forRoot` / `forRootAsync` take besides the options: how the module is registered. */
interface IdentityWebModuleExtras {
  /** Registers the module globally (default `true`). */
  isGlobal?: boolean;
  /**
   * A subclass of {@link EntraIdStrategy} whose `validate` accepts, enriches or refuses each user
   * whose sign-in checked out; the module uses it instead of the default strategy.
   */
  signInStrategy?: Type<EntraIdStrategy>;
}

/** The module definition with the extras applied: global or not, and the app's sign-in strategy. */
function applyExtras(definition: DynamicModule, extras: IdentityWebModuleExtras): DynamicModule {
  const providers = [...(definition.providers ?? [])];
  if (extras.signInStrategy) providers.push({ provide: EntraIdStrategy, useClass: extras.signInStrategy });
  return { ...definition, global: extras.isGlobal, providers };
}

/**
 * `IdentityWebModule.forRoot(options)` / `forRootAsync({ imports, inject, useFactory })`, built by
 * Nest's `ConfigurableModuleBuilder`. The module is global unless `isGlobal: false` is passed;
 * `signInStrategy` names a subclass of `EntraIdStrategy` to use for sign-in.
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
  .setExtras<IdentityWebModuleExtras>({ isGlobal: true, signInStrategy: undefined }, applyExtras)
  .build();

/**
 * What `IdentityWebModule.forRoot()` takes: the options (or appsettings object) plus `isGlobal` and
 * `signInStrategy`.
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
