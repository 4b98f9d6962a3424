import { IdentityWebError } from './identity-web.error';

/**
 * The identity provider could not be reached, timed out, throttled the app or answered 5xx.
 * Answered 503 (with the provider's `Retry-After`, when it sent one); worth retrying later.
 * Its `code` is `idp_unavailable`.
 *
 * @example
 * ```ts
 * throw new IdentityProviderUnavailableError(`The identity provider ${authority} is unavailable: 503.`, {
 *   cause,
 *   retryAfterSeconds: 30,
 * });
 * ```
 */
export class IdentityProviderUnavailableError extends IdentityWebError {
  override readonly name = 'IdentityProviderUnavailableError';
  /** Seconds the identity provider asked to wait (its `Retry-After`), when it said. */
  readonly retryAfterSeconds?: number;
  constructor(message: string, options?: { cause?: unknown; retryAfterSeconds?: number }) {
    super('idp_unavailable', message, options);
    if (options?.retryAfterSeconds !== undefined) this.retryAfterSeconds = options.retryAfterSeconds;
  }
}
