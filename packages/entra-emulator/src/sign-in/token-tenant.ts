import type { Directory } from '../directory/directory';
import type { User } from '../directory/directory.types';
import { EntraError } from '../errors/entra-error';
import type { AuthorizeRequest } from './authorize-request';

/**
 * The tenant a sign-in's tokens are issued in (the one named, else the app's for single-tenant
 * apps, else the user's), or why this user cannot sign in to this app there.
 *
 * @example
 * ```ts
 * const tenantId = tokenTenant(runtime.directory, request, user);
 * if (tenantId instanceof EntraError) return errorPage(tenantId.message);
 * ```
 */
export function tokenTenant(
  directory: Directory,
  request: Pick<AuthorizeRequest, 'tenant' | 'client'>,
  user: User,
): string | EntraError {
  const { client } = request;
  const tenantId =
    request.tenant.kind === 'tenant'
      ? request.tenant.tenant.id
      : client.signInAudience === 'AzureADMyOrg'
        ? client.tenantId
        : user.tenantId;
  if (client.tenantId !== tenantId && client.signInAudience !== 'AzureADMultipleOrgs') {
    return new EntraError(
      'unauthorized_client',
      700016,
      `Application with identifier '${client.clientId}' was not found in the directory '${tenantId}'.`,
    );
  }
  if (!directory.isMember(user, tenantId)) {
    return new EntraError(
      'access_denied',
      50020,
      `User account '${user.username}' from identity provider 'https://sts.windows.net/${user.tenantId}/' does not exist in tenant '${tenantId}' and cannot access the application '${client.clientId}' in that tenant.`,
    );
  }
  return tenantId;
}
