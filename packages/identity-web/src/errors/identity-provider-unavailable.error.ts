import { IdentityWebError } from './identity-web.error';

/**
 * The identity provider could not be reached, timed out, throttled the app or answered 5xx.
 * Answered 503; worth retrying later.
 * Its `code` is `idp_unavailable`.
 *
 * @example
 * ```ts
 * throw new IdentityProviderUnavailableError(`The identity provider ${authority} is unavailable: time-out.`, { cause });
 * ```
 */
export class IdentityProviderUnavailableError extends IdentityWebError {
  override readonly name = 'IdentityProviderUnavailableError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('idp_unavailable', message, options);
  }
}
