/**
 * What `IdentityWebGraphModule.forRoot()` takes. Every field is optional: values given here win
 * over the configuration section (`DownstreamApis:GraphAPI` by default, read from the validated
 * `IdentityWebOptions.downstreamApis`, so appsettings and `DownstreamApis__GraphAPI__BaseUrl`-style
 * environment overrides work and values mean what they mean to `DownstreamApiService`; a section
 * outside `DownstreamApis` is read through `IdentityWebConfiguration`), which wins over the defaults.
 *
 * @example
 * ```ts
 * const options: IdentityWebGraphModuleOptions = { scopes: ['User.Read', 'Mail.Read'] };
 * ```
 */
export interface IdentityWebGraphModuleOptions {
  /** Key path of the section holding `BaseUrl`, `Scopes` and `RequestAppToken`. Default `DownstreamApis:GraphAPI`. */
  configurationSection?: string;
  /** Graph's root including the version. Default `https://graph.microsoft.com/v1.0`. */
  baseUrl?: string;
  /** Delegated scopes of user tokens, an array or a space-separated string. Default `['User.Read']`. */
  scopes?: string[] | string;
  /** Call Graph with the app's own token (client credentials) unless a request says otherwise. */
  requestAppToken?: boolean;
  /** Scope of app tokens. Default `https://<graph host>/.default` (`https://graph.microsoft.com/.default` for other hosts). */
  appScope?: string;
  /** Upper bound for one HTTP exchange with Graph, in milliseconds. Default 30 000. */
  timeoutMs?: number;
}

/**
 * The Graph options after resolution and validation; injectable.
 *
 * @example
 * ```ts
 * constructor(private readonly graphOptions: IdentityWebGraphOptions) {}
 * graphOptions.scopes; // ['User.Read']
 * ```
 */
export abstract class IdentityWebGraphOptions {
  /** Origin (and any path prefix) Graph requests go to, without the version. */
  abstract readonly baseUrl: string;
  /** The API version segment, such as `v1.0` or `beta`. */
  abstract readonly version: string;
  abstract readonly scopes: readonly string[];
  abstract readonly requestAppToken: boolean;
  abstract readonly appScope: string;
  /** Host names (no port) besides Microsoft's Graph hosts that receive the bearer token. */
  abstract readonly customHosts: ReadonlySet<string>;
  abstract readonly timeoutMs: number;
}
