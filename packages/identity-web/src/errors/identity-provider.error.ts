import { IdentityWebError } from './identity-web.error';

/**
 * The identity provider refused a request for a reason the user cannot fix by signing in again
 * (a wrong client secret, an unknown scope, a malformed discovery document). Answered 502.
 * Its `code` is `idp_error`.
 *
 * @example
 * ```ts
 * throw new IdentityProviderError(`The identity provider refused the token request: invalid_client.`, { cause });
 * ```
 */
export class IdentityProviderError extends IdentityWebError {
  override readonly name = 'IdentityProviderError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('idp_error', message, options);
  }
}
