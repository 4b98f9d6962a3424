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
 * unchanged (read it with `loadAppSettings()`, which accepts what .NET accepts: comments, trailing
 * commas, a byte-order mark). Other top-level sections (`Logging`, `ConnectionStrings`...) are
 * ignored, silently.
 *
 * - `AzureAd`: the app registration (`Instance`, `TenantId`, `ClientId`, `ClientCredentials`...);
 *   under another name with `azureAdSection` (`'AzureAdB2C'`).
 * - `DownstreamApis`: named APIs (`BaseUrl`, `Scopes` as an array or a space-separated string...);
 *   an API in a section of its own with `downstreamApiSections` (`{ TodoList: 'TodoList' }`).
 * - `DownstreamApi`: a single API, registered under the name `DownstreamApi`.
 * - `IdentityWeb`: this library's own settings (`AccountRoutesPrefix`, `RequireSignIn`,
 *   `SignOutMethods`, `Session`, `TokenCache`, `Consent`, `AzureAdSection`,
 *   `DownstreamApiSections`); they win over the same keys given at the top level.
 *
 * @example
 * ```ts
 * const settings: IdentityWebAppSettings = loadAppSettings();
 * IdentityWebModule.forRoot({ ...settings, azureAdSection: 'AzureAdB2C' });
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
