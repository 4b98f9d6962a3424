import type { EmulatorRuntime, TenantSelector } from '../emulator-runtime';
import { EntraError, missingParameter } from '../errors/entra-error';
import type { AuthenticatedClient } from './client-authentication';

/**
 * The `client_credentials` grant: `<resource>/.default` → an app-only token whose `roles` are the
 * application permissions granted to the client on that resource.
 *
 * @example
 * ```ts
 * const body = await clientCredentialsGrant(runtime, params, tenant, client);
 * ```
 */
export async function clientCredentialsGrant(
  runtime: EmulatorRuntime,
  params: URLSearchParams,
  tenant: TenantSelector,
  client: AuthenticatedClient,
): Promise<Record<string, unknown>> {
  const scope = params.get('scope') ?? missingParameter('scope');
  const scopes = scope.split(/\s+/).filter(Boolean);
  const resourceScopes = scopes.filter(
    (s) => !['openid', 'profile', 'email', 'offline_access'].includes(s.toLowerCase()),
  );
  if (resourceScopes.length !== 1 || !resourceScopes[0].endsWith('/.default')) {
    throw new EntraError(
      'invalid_scope',
      1002012,
      `The provided value for scope ${scope.slice(0, 200)} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    );
  }
  const resourceId = resourceScopes[0].slice(0, -'/.default'.length);
  const resource = runtime.directory.findResource(resourceId);
  if (!resource) {
    throw new EntraError(
      'invalid_resource',
      500011,
      `The resource principal named ${resourceId.slice(0, 200)} was not found in the tenant.`,
    );
  }
  const tenantId = tenant.kind === 'tenant' ? tenant.tenant.id : client.app.tenantId;
  const roles = client.app.applicationPermissions.flatMap((permission) => {
    const slash = permission.lastIndexOf('/');
    const granted = runtime.directory.findResource(permission.slice(0, slash));
    const role = permission.slice(slash + 1);
    return granted?.clientId === resource.clientId && resource.appRoles.includes(role) ? [role] : [];
  });
  const lifetime = runtime.tokens.accessTokenLifetime;
  return {
    token_type: 'Bearer',
    expires_in: lifetime,
    ext_expires_in: lifetime,
    access_token: await runtime.tokens.appAccessToken({
      tenantId,
      client: client.app,
      clientAuth: client.auth,
      resource,
      roles,
    }),
  };
}
