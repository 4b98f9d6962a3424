import type { Directory } from '../directory/directory';
import type { User } from '../directory/directory.types';
import { formatScope } from '../directory/scope-request';
import type { AuthorizeRequest } from './authorize-request';

/**
 * Scopes the consent page may list: OIDC scopes and named resource scopes (not `.default`).
 *
 * @example
 * ```ts
 * consentableScopes(request); // ['openid', 'profile', 'offline_access', 'User.Read', 'api://todo/access_as_user']
 * ```
 */
export function consentableScopes(request: AuthorizeRequest): string[] {
  return [
    ...request.scopes.oidc,
    ...request.scopes.scopes.filter((s) => s.name !== '.default').map(formatScope),
  ].filter((scope, i, all) => all.indexOf(scope) === i);
}

/**
 * The scopes the consent page lists: those the user has not granted the app yet, or all of them
 * for `prompt=consent`.
 *
 * @example
 * ```ts
 * if (scopesToConsent(directory, request, user).length > 0) showConsentPage();
 * ```
 */
export function scopesToConsent(directory: Directory, request: AuthorizeRequest, user: User): string[] {
  const consentable = consentableScopes(request);
  if (request.prompt === 'consent') return consentable;
  const granted = directory.grantedScopeKeys(user, request.client.clientId);
  return consentable.filter((s) => !granted.has(directory.scopeKey(s) ?? s));
}
