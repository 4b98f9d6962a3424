import type { SignedInUser } from '../token-acquisition/signed-in-user';

/**
 * A signed-in user for unit tests of token callers: an account of the `tid` tenant on the
 * `login.example` cloud, matching the tenant {@link RecordingTokenAcquisition} is configured for.
 *
 * @example
 * ```ts
 * await provider.createAuthorizationHeaderForUser(['User.Read'], { user: SIGNED_IN_USER });
 * ```
 */
export const SIGNED_IN_USER: SignedInUser = {
  homeAccountId: 'oid.tid',
  tenantId: 'tid',
  localAccountId: 'oid',
  username: 'worker@contoso.example',
  environment: 'login.example',
};
