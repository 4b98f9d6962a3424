import { IdentityWebError } from './identity-web.error';

/**
 * A return URL pointed outside this app's origin or was malformed. Answered 400; the message
 * gives the reason, never the URL.
 * Its `code` is `invalid_return_url`.
 *
 * @example
 * ```ts
 * throw new InvalidReturnUrlError('Return URL refused: another origin.');
 * ```
 */
export class InvalidReturnUrlError extends IdentityWebError {
  override readonly name = 'InvalidReturnUrlError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('invalid_return_url', message, options);
  }
}
