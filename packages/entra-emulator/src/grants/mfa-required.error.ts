import type { User } from '../directory/directory.types';
import { mfaClaimsChallenge } from '../directory/conditional-access';
import { EntraError } from '../errors/entra-error';

/**
 * What the token endpoint answers when a token needs MFA the sign-in did not do: AADSTS50076
 * (`basic_action`, with the claims to send back) for a user who has an MFA method, AADSTS50079
 * (register one first) for a user who has none.
 *
 * @example
 * ```ts
 * if (!facts.amr.includes('mfa') && directory.requiresMfa(resource)) throw mfaRequired(user, resource.clientId);
 * ```
 */
export function mfaRequired(user: User, resourceId: string): EntraError {
  const details = { suberror: 'basic_action', claims: mfaClaimsChallenge(resourceId) };
  if (!user.mfaRegistered) {
    return new EntraError(
      'invalid_grant',
      50079,
      `Due to a configuration change made by your administrator, or because you moved to a new location, you must enroll in multi-factor authentication to access '${resourceId}'.`,
      details,
    );
  }
  return new EntraError(
    'invalid_grant',
    50076,
    `Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '${resourceId}'.`,
    details,
  );
}

/**
 * What a silent authorization request (`prompt=none`) gets when MFA is due: `interaction_required`
 * with AADSTS50076, or 50079 when the user must first register a method.
 *
 * @example
 * ```ts
 * if (request.prompt === 'none') return this.fail(tx, silentMfaRequired(user));
 * ```
 */
export function silentMfaRequired(user: User): EntraError {
  return user.mfaRegistered
    ? new EntraError(
        'interaction_required',
        50076,
        'Multi-factor authentication is required; interaction is needed.',
      )
    : new EntraError(
        'interaction_required',
        50079,
        'The user is required to enroll in multi-factor authentication; interaction is needed.',
      );
}
