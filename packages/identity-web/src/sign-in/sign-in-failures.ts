import { IdentityWebError, SignInRefusedError } from '../errors';

/** Errors from redeeming a code that are not the user's fault keep their code; the rest refuse the sign-in. */
const PASS_THROUGH_CODES = new Set([
  'idp_unavailable',
  'cache_unavailable',
  'invalid_configuration',
  'sign_in_refused',
]);

/**
 * What the user is told when the identity provider answers the sign-in with an error: its code
 * only (letters, digits and `_`, at most 64), not its description.
 *
 * @example
 * ```ts
 * identityProviderErrorMessage('server_error'); // 'The identity provider could not sign you in (server_error).'
 * ```
 */
export function identityProviderErrorMessage(error: unknown): string {
  const code = typeof error === 'string' ? error.replace(/[^a-z0-9_]/gi, '').slice(0, 64) : 'unknown';
  return `The identity provider could not sign you in (${code || 'unknown'}).`;
}

/**
 * The error a failed code redemption becomes: an outage or a configuration problem keeps its own
 * code, anything else (a bad code, an invalid ID token...) refuses the sign-in, the cause kept.
 *
 * @example
 * ```ts
 * throw toSignInError(err);
 * ```
 */
export function toSignInError(err: unknown): IdentityWebError {
  if (err instanceof IdentityWebError && PASS_THROUGH_CODES.has(err.code)) return err;
  return new SignInRefusedError('Sign-in refused: the authorization code could not be redeemed.', {
    cause: err,
  });
}
