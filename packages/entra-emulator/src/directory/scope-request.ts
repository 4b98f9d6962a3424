import { EntraError } from '../errors/entra-error';
import { WELL_KNOWN_RESOURCES } from './default-directory';
import type { Directory } from './directory';
import type { App } from './directory.types';

/** The OpenID Connect scopes, which belong to no resource. */
export const OIDC_SCOPES: readonly string[] = ['openid', 'profile', 'email', 'offline_access'];

/** One resource scope of a request: the resource and the scope's canonical name (or `.default`). */
export interface ResourceScope {
  readonly resource: App;
  readonly name: string;
}

/** A `scope` parameter split into OpenID Connect scopes and resource scopes. */
export interface ScopeRequest {
  /** `openid`, `profile`, `email`, `offline_access` among the requested scopes (lower case). */
  readonly oidc: readonly string[];
  /** Resource scopes, in request order, without duplicates. */
  readonly scopes: readonly ResourceScope[];
  /** Resources the scopes belong to, in request order. */
  readonly resources: readonly App[];
}

/**
 * Parses and validates a `scope` parameter against the directory. Scopes without a resource
 * (`User.Read`) are Microsoft Graph's, as in Entra ID.
 *
 * @example
 * ```ts
 * const request = parseScopes(directory, 'openid api://todo-api/access_as_user');
 * request.resources[0].clientId; // the todo API
 * ```
 */
export function parseScopes(directory: Directory, scope: string): ScopeRequest {
  const oidc: string[] = [];
  const scopes: ResourceScope[] = [];
  for (const raw of scope.split(/\s+/).filter(Boolean)) {
    const lower = raw.toLowerCase();
    if (OIDC_SCOPES.includes(lower)) {
      if (!oidc.includes(lower)) oidc.push(lower);
      continue;
    }
    const slash = raw.lastIndexOf('/');
    const resourceId = slash < 0 ? WELL_KNOWN_RESOURCES.graph.clientId : raw.slice(0, slash);
    const resource = resourceId ? directory.findResource(resourceId) : undefined;
    if (!resource) {
      throw new EntraError(
        'invalid_resource',
        500011,
        `The resource principal named ${resourceId || raw} was not found in the tenant. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`,
      );
    }
    const requested = slash < 0 ? raw : raw.slice(slash + 1);
    const name =
      requested === '.default'
        ? '.default'
        : resource.scopes.find((s) => s.toLowerCase() === requested.toLowerCase());
    if (!name) {
      throw new EntraError(
        'invalid_scope',
        70011,
        `The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' is not valid. The scope ${raw} is not valid.`,
      );
    }
    if (!scopes.some((s) => s.resource === resource && s.name === name)) scopes.push({ resource, name });
  }
  const resources = [...new Set(scopes.map((s) => s.resource))];
  return { oidc, scopes, resources };
}

/**
 * The scope string Entra ID writes for a resource scope: Graph's bare (`User.Read`), others with
 * the resource's identifier URI (`api://todo-api/access_as_user`).
 *
 * @example
 * ```ts
 * formatScope({ resource: todoApi, name: 'access_as_user' }); // 'api://todo-api/access_as_user'
 * ```
 */
export function formatScope(scope: ResourceScope): string {
  if (scope.resource.clientId === WELL_KNOWN_RESOURCES.graph.clientId) return scope.name;
  return `${scope.resource.identifierUris[0] ?? scope.resource.clientId}/${scope.name}`;
}
