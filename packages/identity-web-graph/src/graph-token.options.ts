import {
  AuthenticationHandlerOptions,
  type AuthenticationProviderOptions,
} from '@microsoft/microsoft-graph-client';
import type { AcquireTokenOptions, SignedInUser } from 'nest-identity-web';

/**
 * How one Graph request gets its token, overriding the module's settings: other delegated
 * scopes (incremental consent), the app's own token, another user (background work), or token
 * options such as the tenant.
 *
 * @example
 * ```ts
 * const options: GraphTokenOptions = { scopes: ['Mail.Read'] };
 * ```
 */
export interface GraphTokenOptions extends AuthenticationProviderOptions {
  /** Delegated scopes for a user token; for an app token, at most one `/.default` scope. */
  scopes?: string[];
  /** `true`: the app's own token (client credentials); `false`: the user's. Default: the module's setting. */
  requestAppToken?: boolean;
  /** Act for this user instead of the request's signed-in user. */
  user?: SignedInUser;
  /** Tenant, claims, forced refresh, correlation id of the token request. */
  acquireTokenOptions?: AcquireTokenOptions;
}

/**
 * Per-request token options in the form the Graph client takes them (`.middlewareOptions([...])`).
 *
 * @example
 * ```ts
 * const mail = await graph.api('/me/messages').middlewareOptions([graphTokenOptions({ scopes: ['Mail.Read'] })]).top(10).get();
 * const user = await graph.api(`/users/${id}`).middlewareOptions([graphTokenOptions({ requestAppToken: true })]).get();
 * ```
 */
export function graphTokenOptions(options: GraphTokenOptions): AuthenticationHandlerOptions {
  return new AuthenticationHandlerOptions(undefined, options);
}
