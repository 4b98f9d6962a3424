import { IdentityWebError } from './identity-web.error';

/**
 * A sign-in response was refused: its state, nonce, code or ID token did not check out, the
 * identity provider answered with an error, or the app's `validate` refused the user. Answered 400.
 * Its `code` is `sign_in_refused`.
 *
 * @example
 * ```ts
 * throw new SignInRefusedError('Sign-in refused: unknown or already used state.');
 * ```
 */
export class SignInRefusedError extends IdentityWebError {
  override readonly name = 'SignInRefusedError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('sign_in_refused', message, options);
  }
}
