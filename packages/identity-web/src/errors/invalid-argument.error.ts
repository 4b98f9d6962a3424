import { IdentityWebError } from './identity-web.error';

/**
 * A request's input was unusable, such as a malformed `claims` or an unknown `policy` on an
 * account route. Answered 400.
 * Its `code` is `invalid_argument`.
 *
 * @example
 * ```ts
 * throw new InvalidArgumentError('The claims parameter must be a JSON object.');
 * ```
 */
export class InvalidArgumentError extends IdentityWebError {
  override readonly name = 'InvalidArgumentError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('invalid_argument', message, options);
  }
}
