import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { IdentityWebGraphModuleOptions } from './graph.options';

/**
 * `IdentityWebGraphModule.forRoot(options)` / `forRootAsync({ imports, inject, useFactory })`, built
 * by Nest's `ConfigurableModuleBuilder`. Global unless `isGlobal: false` is passed.
 *
 * @example
 * ```ts
 * IdentityWebGraphModule.forRootAsync({ inject: [ConfigService], useFactory: (c: ConfigService) => ({ scopes: c.get('GRAPH_SCOPES') }) });
 * ```
 */
export const {
  ConfigurableModuleClass: IdentityWebGraphConfigurableModule,
  MODULE_OPTIONS_TOKEN: IDENTITY_WEB_GRAPH_MODULE_OPTIONS,
  OPTIONS_TYPE: IDENTITY_WEB_GRAPH_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: IDENTITY_WEB_GRAPH_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<IdentityWebGraphModuleOptions>({ moduleName: 'IdentityWebGraph' })
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();

/**
 * What `IdentityWebGraphModule.forRoot()` takes: the options plus `isGlobal`.
 *
 * @example
 * ```ts
 * const options: IdentityWebGraphForRootOptions = { scopes: ['User.Read'], isGlobal: true };
 * ```
 */
export type IdentityWebGraphForRootOptions = typeof IDENTITY_WEB_GRAPH_OPTIONS_TYPE;

/**
 * What `IdentityWebGraphModule.forRootAsync()` takes: `imports`, `inject`, `useFactory` (or `useClass`), `isGlobal`.
 *
 * @example
 * ```ts
 * const options: IdentityWebGraphForRootAsyncOptions = { useFactory: () => ({ requestAppToken: true }) };
 * ```
 */
export type IdentityWebGraphForRootAsyncOptions = typeof IDENTITY_WEB_GRAPH_ASYNC_OPTIONS_TYPE;
