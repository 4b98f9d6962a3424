/**
 * Who the signed-in user is: what the session keeps (never tokens) and what token acquisition
 * needs to find the user's cache partition.
 *
 * @example
 * ```ts
 * @Get('profile') profile(@CurrentUser() user: SignedInUser) { return { name: user.name, tenant: user.tenantId }; }
 * ```
 */
export interface SignedInUser {
  /** MSAL's home account id, `<oid>.<tid>` when the IdP sends `client_info`; lower-case. */
  homeAccountId: string;
  /** Tenant the user signed in to (`tid`). */
  tenantId: string;
  /** Object id in that tenant (`oid`). */
  localAccountId: string;
  /** `preferred_username`, used as `login_hint` on challenges. */
  username: string;
  /** Display name. */
  name?: string;
  /** Authority environment, e.g. `login.microsoftonline.com` or `localhost:8443`. */
  environment: string;
  /** B2C / External ID user flow the user signed in with. */
  userFlow?: string;
}
