import type { AcquireTokenOptions } from '../options/downstream-apis.section';
import type { SignedInUser } from './signed-in-user';

/**
 * Options of {@link TokenAcquisitionService.getAccessTokenForUser}.
 *
 * @example
 * ```ts
 * const options: UserTokenOptions = { user: job.user, forceRefresh: true }; // a background job's user
 * await tokens.getAccessTokenForUser(['api://todo/access_as_user'], options);
 * ```
 */
export type UserTokenOptions = AcquireTokenOptions & {
  /** The user, for background work outside a request; default: the request's signed-in user. */
  user?: SignedInUser;
};

/**
 * Options of {@link TokenAcquisitionService.getAccessTokenForApp}.
 *
 * @example
 * ```ts
 * const options: AppTokenOptions = { tenant: customerTenantId };
 * await tokens.getAccessTokenForApp('https://graph.microsoft.com/.default', options);
 * ```
 */
export interface AppTokenOptions {
  tenant?: string;
  /**
   * Claims the resource demanded in a claims challenge (a JSON string, as in its
   * `WWW-Authenticate` header): sent with the request, bypassing any cached token.
   */
  claims?: string;
  forceRefresh?: boolean;
  correlationId?: string;
}

/**
 * Options of {@link TokenAcquisitionService.getAccessToken}: whose token, and how to get it.
 *
 * @example
 * ```ts
 * const options: TokenRequestOptions = { requestAppToken: true, acquireTokenOptions: { tenant: customerTenantId } };
 * await tokens.getAccessToken(['https://graph.microsoft.com/.default'], options);
 * ```
 */
export interface TokenRequestOptions {
  /** `true`: the app's own token (client credentials) for one `/.default` scope; else the user's. */
  requestAppToken?: boolean;
  /** Tenant, claims, forced refresh, correlation id (and user flow, for user tokens). */
  acquireTokenOptions?: AcquireTokenOptions;
  /** The user, for background work outside a request; default: the request's signed-in user. Ignored for app tokens. */
  user?: SignedInUser;
}
