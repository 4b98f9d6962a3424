import type { IdentityWebModuleOptions } from './module-options';

/**
 * A configuration section as it comes from JSON or `ConfigService`: keys in any casing.
 *
 * @example
 * ```ts
 * const azureAd: ConfigurationSection = { Instance: 'https://login.microsoftonline.com/', TenantId: 'common' };
 * ```
 */
export type ConfigurationSection = { readonly [key: string]: unknown };

/**
 * The library's settings in `appsettings.json` form, PascalCase as Microsoft.Identity.Web has them.
 * Keys match case-insensitively at every level, so a file copied from an ASP.NET Core app loads
 * unchanged. Other top-level sections (`Logging`, `ConnectionStrings`...) are ignored.
 *
 * - `AzureAd`: the app registration (`Instance`, `TenantId`, `ClientId`, `ClientCredentials`...).
 * - `DownstreamApis`: named APIs (`BaseUrl`, `Scopes` as an array or a space-separated string...).
 * - `DownstreamApi`: a single API, registered under the name `DownstreamApi`.
 * - `IdentityWeb`: this library's own settings (`AccountRoutesPrefix`, `RequireSignIn`,
 *   `SignOutMethods`, `Session`, `TokenCache`, `Consent`); they win over the same keys given at
 *   the top level.
 *
 * @example
 * ```ts
 * const settings: IdentityWebAppSettings = JSON.parse(readFileSync('appsettings.json', 'utf8'));
 * IdentityWebModule.forRoot(settings);
 * ```
 */
export interface IdentityWebAppSettings {
  /** Required: validation at start-up names it when it is missing. Optional here so `config.get(...)` results fit. */
  readonly AzureAd?: ConfigurationSection;
  readonly DownstreamApis?: { readonly [name: string]: ConfigurationSection };
  readonly DownstreamApi?: ConfigurationSection;
  readonly IdentityWeb?: ConfigurationSection;
  readonly [section: string]: unknown;
}

/**
 * What `IdentityWebModule.forRoot()` and `normalizeOptions()` accept: camelCase options or an
 * appsettings-shaped object. Internal shorthand: the barrel exports the two halves.
 *
 * @example
 * ```ts
 * const input: IdentityWebModuleInput = { azureAd: { tenantId, clientId, clientCredentials } };
 * ```
 */
export type IdentityWebModuleInput = IdentityWebModuleOptions | IdentityWebAppSettings;
