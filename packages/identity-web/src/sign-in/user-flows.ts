import { InvalidArgumentError } from '../errors';
import type { IdentityWebOptions } from '../options/identity-web.options';
import type { SignedInUser } from '../token-acquisition/signed-in-user';

/** The B2C / External ID error a sign-up-or-sign-in flow answers when the user clicks "Forgot your password?". */
export const B2C_FORGOT_PASSWORD = 'AADB2C90118';
/** The B2C / External ID error when the user cancels a self-asserted page (edit profile, reset password). */
export const B2C_USER_CANCELLED = 'AADB2C90091';

/**
 * The user flows configured for a B2C / External ID app, in the order sign-up-sign-in, edit
 * profile, reset password; empty for an ordinary Entra ID app.
 *
 * @example
 * ```ts
 * configuredUserFlows(options); // ['B2C_1_susi', 'B2C_1_edit', 'B2C_1_reset']
 * ```
 */
export function configuredUserFlows(options: Pick<IdentityWebOptions, 'azureAd'>): string[] {
  const { signUpSignInPolicyId, editProfilePolicyId, resetPasswordPolicyId } = options.azureAd;
  return [signUpSignInPolicyId, editProfilePolicyId, resetPasswordPolicyId].filter(
    (flow): flow is string => typeof flow === 'string' && flow.length > 0,
  );
}

/**
 * The configured user flow a request names (`?policy=`), in its configured spelling. Anything
 * else is refused with `invalid_argument` (400) before the identity provider is contacted, so a
 * caller cannot make the app fetch metadata for authorities it never configured; an app without
 * user flows refuses every `policy`.
 *
 * @example
 * ```ts
 * resolveUserFlow(options, 'b2c_1_edit'); // 'B2C_1_edit'
 * resolveUserFlow(options, 'other');      // throws IdentityWebError('invalid_argument')
 * ```
 */
export function resolveUserFlow(options: Pick<IdentityWebOptions, 'azureAd'>, requested: string): string {
  const flows = configuredUserFlows(options);
  if (flows.length === 0) {
    throw new InvalidArgumentError(
      'The policy parameter is only accepted by B2C / External ID apps (AzureAd:SignUpSignInPolicyId).',
    );
  }
  const match = flows.find((flow) => flow.toLowerCase() === requested.toLowerCase());
  if (!match) {
    throw new InvalidArgumentError(
      `The policy parameter must be one of the configured user flows: ${flows.join(', ')}.`,
    );
  }
  return match;
}

/**
 * `true` when the flow is not the sign-up-sign-in flow: an edit-profile or reset-password run
 * that must not replace the identity the session keeps.
 *
 * @example
 * ```ts
 * isSecondaryUserFlow(options, 'B2C_1_edit'); // true
 * ```
 */
export function isSecondaryUserFlow(
  options: Pick<IdentityWebOptions, 'azureAd'>,
  flow: string | undefined,
): boolean {
  const susi = options.azureAd.signUpSignInPolicyId;
  return !!flow && !!susi && flow.toLowerCase() !== susi.toLowerCase();
}

/**
 * Who the session keeps after a sign-in. A sign-up-sign-in (or ordinary Entra ID) sign-in keeps
 * the account that signed in. An edit-profile or reset-password run keeps the user's
 * sign-up-sign-in identity, whose partition holds the tokens the app uses: the previous session
 * user when it is the same person (with the new display name), else the account rewritten to the
 * sign-up-sign-in flow (B2C's home account id is `<oid>-<flow>.<tid>`).
 *
 * @example
 * ```ts
 * sessionIdentityAfter(options, { homeAccountId: 'oid-b2c_1_edit.tid', userFlow: 'B2C_1_edit', ... }, undefined);
 * // { homeAccountId: 'oid-b2c_1_susi.tid', userFlow: 'B2C_1_susi', ... }
 * ```
 */
export function sessionIdentityAfter(
  options: Pick<IdentityWebOptions, 'azureAd'>,
  signedIn: SignedInUser,
  previous: SignedInUser | undefined,
): SignedInUser {
  const susi = options.azureAd.signUpSignInPolicyId;
  if (!susi || !isSecondaryUserFlow(options, signedIn.userFlow)) return signedIn;
  const fresh = { username: signedIn.username, ...(signedIn.name ? { name: signedIn.name } : {}) };
  if (previous && samePerson(previous, signedIn)) return { ...previous, ...fresh };
  const suffix = `-${signedIn.userFlow!.toLowerCase()}.`;
  const at = signedIn.homeAccountId.lastIndexOf(suffix);
  const homeAccountId =
    at < 0
      ? signedIn.homeAccountId
      : `${signedIn.homeAccountId.slice(0, at)}-${susi.toLowerCase()}.${signedIn.homeAccountId.slice(at + suffix.length)}`;
  return { ...signedIn, homeAccountId, userFlow: susi };
}

/** Same object id in the same tenant. */
export function samePerson(a: SignedInUser, b: SignedInUser): boolean {
  return (
    a.localAccountId.toLowerCase() === b.localAccountId.toLowerCase() &&
    a.tenantId.toLowerCase() === b.tenantId.toLowerCase()
  );
}
