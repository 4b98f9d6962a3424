import { InvalidConfigurationError } from '../errors';
import { cloneTree, freezeTree, getAt, isPlainObject, splitKeyPath } from './configuration-tree';
import { applyEnvironmentOverrides } from './environment-overrides';
import type { IdentityWebAppSettings } from './identity-web.app-settings';
import type { IdentityWebModuleOptions } from './module-options';

/**
 * The raw configuration the module was given (after environment overrides), read by key path
 * the way .NET's `IConfiguration` is: `DownstreamApis:TodoList:Scopes:0`, case-insensitive at
 * every level, `:` or `__` as separator. CamelCase options are reachable by the same PascalCase
 * paths (`azureAd.clientId` is `AzureAd:ClientId`). Injectable; `@AuthorizeForScopes('<key>')`
 * reads its scopes here.
 *
 * @example
 * ```ts
 * constructor(private readonly configuration: IdentityWebConfiguration) {}
 * configuration.get('DownstreamApis:TodoList:Scopes');   // ['api://todo/access_as_user']
 * configuration.get('DownstreamApis:TodoList:Scopes:0'); // 'api://todo/access_as_user'
 * configuration.getScopes('DownstreamApis:GraphAPI:Scopes'); // ['user.read', 'mail.read']
 * ```
 */
export class IdentityWebConfiguration {
  // A #private field: `console.log(configuration)` must not print client secrets.
  readonly #root: Readonly<Record<string, unknown>>;

  /** Wraps an already-resolved tree (copied and frozen); see {@link IdentityWebConfiguration.from}. */
  constructor(root: Readonly<Record<string, unknown>>) {
    this.#root = freezeTree(cloneTree(root));
  }

  /**
   * Builds the configuration from module input, applying environment overrides
   * (`AzureAd__ClientId`...) from `env` (default `process.env`).
   *
   * @example
   * ```ts
   * const configuration = IdentityWebConfiguration.from(appsettings, { AzureAd__ClientId: 'override' });
   * ```
   */
  static from(
    input: IdentityWebModuleOptions | IdentityWebAppSettings | Readonly<Record<string, unknown>>,
    env: Readonly<Record<string, string | undefined>> = process.env,
  ): IdentityWebConfiguration {
    if (!isPlainObject(input)) {
      throw new InvalidConfigurationError('(root)', 'must be an object with an AzureAd section.');
    }
    return new IdentityWebConfiguration(applyEnvironmentOverrides(input, env));
  }

  /**
   * The value at `keyPath` (a string, number, boolean, array or section object; read-only), or
   * `undefined` when absent. An empty path returns the whole tree.
   *
   * @example
   * ```ts
   * configuration.get('azuread:clientid'); // same as 'AzureAd:ClientId'
   * ```
   */
  get<T = unknown>(keyPath: string): T | undefined {
    return getAt(this.#root, splitKeyPath(keyPath)) as T | undefined;
  }

  /** `true` when `keyPath` names a value (`null` counts as absent). */
  has(keyPath: string): boolean {
    const value = this.get(keyPath);
    return value !== undefined && value !== null;
  }

  /**
   * The scopes a key section names, as `@AuthorizeForScopes('<key>')` reads them: an array gives
   * all its entries, a string is split on whitespace (`"user.read mail.read"`), and each array
   * entry is split too. A missing, empty or non-string value is an {@link InvalidConfigurationError}
   * naming the key.
   *
   * @example
   * ```ts
   * configuration.getScopes('DownstreamApis:TodoList:Scopes:0'); // ['api://todo/access_as_user']
   * ```
   */
  getScopes(keySection: string): string[] {
    const value = this.get(keySection);
    if (value === undefined || value === null) {
      throw new InvalidConfigurationError(
        keySection,
        'is not in the configuration: expected the scopes (an array, or a space-separated string) the action needs.',
      );
    }
    const entries: unknown[] = Array.isArray(value) ? value : [value];
    if (!entries.every((entry) => typeof entry === 'string')) {
      throw new InvalidConfigurationError(keySection, 'must be a string or an array of strings (scopes).');
    }
    const scopes = (entries as string[]).flatMap((entry) => entry.split(/\s+/)).filter((s) => s !== '');
    if (scopes.length === 0) {
      throw new InvalidConfigurationError(keySection, 'is empty: expected at least one scope.');
    }
    return [...new Set(scopes)];
  }

  /** Section names only: serialising the configuration must not leak secrets. */
  toJSON(): { sections: string[] } {
    return { sections: Object.keys(this.#root) };
  }
}
