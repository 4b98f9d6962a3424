import { IdentityWebError } from './identity-web.error';

/**
 * Options failed validation at start-up. `path` names the offending key, in configuration-path
 * form such as `AzureAd:ClientId` or `DownstreamApis:TodoList:Scopes`.
 *
 * @example
 * ```ts
 * // Error: AzureAd:ClientId is required: the application (client) ID of the app registration, a GUID.
 * ```
 */
export class InvalidConfigurationError extends IdentityWebError {
  override readonly name = 'InvalidConfigurationError';

  constructor(
    readonly path: string,
    message: string,
  ) {
    super('invalid_configuration', `${path} ${message}`);
  }
}
