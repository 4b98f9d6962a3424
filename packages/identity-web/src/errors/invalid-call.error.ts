import { IdentityWebError } from './identity-web.error';

/**
 * The app called the library in a way it cannot serve (a reserved header in downstream API
 * options, an absolute relative path, several scopes for an app token): a bug in the app, answered 500.
 * Its `code` is `invalid_call`.
 *
 * @example
 * ```ts
 * throw new InvalidCallError('An app token is requested for exactly one "/.default" scope.');
 * ```
 */
export class InvalidCallError extends IdentityWebError {
  override readonly name = 'InvalidCallError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('invalid_call', message, options);
  }
}
