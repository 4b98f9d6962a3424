import { IdentityWebError } from './identity-web.error';

/**
 * A route or a call needs the signed-in user and there is none: browsers are sent to sign in,
 * other callers get 401. Also raised by user-token calls made outside a request without `options.user`.
 * Its `code` is `no_user`.
 *
 * @example
 * ```ts
 * if (!sessionUser(req)) throw new NoSignedInUserError('Sign-in required.');
 * ```
 */
export class NoSignedInUserError extends IdentityWebError {
  override readonly name = 'NoSignedInUserError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('no_user', message, options);
  }
}
