import type { SignedInUser } from 'nest-identity-web';

/**
 * How a {@link MicrosoftIdentityTokenCredential} gets its tokens. Every field is optional: by
 * default the credential acts for the signed-in user of the current request, in the configured
 * tenant.
 *
 * @example
 * ```ts
 * IdentityWebAzureModule.forRoot({ requestAppToken: true }); // the injected credential acts as the app
 * ```
 */
export interface MicrosoftIdentityTokenCredentialOptions {
  /**
   * Act as the app itself (client credentials) instead of the signed-in user. The Azure SDK asks
   * for the resource's `.default` scope, which is what an app token needs. Default `false`.
   */
  requestAppToken?: boolean;
  /**
   * The user to act for outside a request (a queue worker, a scheduled job); default: the
   * signed-in user of the request being served. Ignored with `requestAppToken`.
   */
  user?: SignedInUser;
  /** Tenant to get tokens in (a guest user's resource tenant); a `tenantId` asked for by the SDK wins. */
  tenant?: string;
  /** B2C / External ID user flow, for user tokens. */
  userFlow?: string;
}
