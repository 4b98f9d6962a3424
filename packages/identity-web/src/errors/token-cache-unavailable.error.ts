import { IdentityWebError } from './identity-web.error';

/**
 * The token cache store could not be read, written or cleared. Answered 503; the store's own
 * error is the `cause` (its message is never shown to users).
 * Its `code` is `cache_unavailable`.
 *
 * @example
 * ```ts
 * throw new TokenCacheUnavailableError('The token cache store could not be read.', { cause });
 * ```
 */
export class TokenCacheUnavailableError extends IdentityWebError {
  override readonly name = 'TokenCacheUnavailableError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('cache_unavailable', message, options);
  }
}
