import type { EmulatorRuntime } from '../emulator-runtime';
import { TENANT_PREFIX, tenantOf, type RouteParams } from '../http/router';
import type { HttpContext } from '../http/http-context';
import { EntraError } from '../errors/entra-error';

/**
 * Registers OpenID discovery (`/{tenant}/v2.0/.well-known/openid-configuration`) and the JWKS
 * (`/{tenant}/discovery/v2.0/keys`) for tenant ids, domains, `common`/`organizations`/`consumers`
 * and B2C-style user-flow paths.
 *
 * @example
 * ```ts
 * registerDiscoveryEndpoints(runtime);
 * ```
 */
export function registerDiscoveryEndpoints(runtime: EmulatorRuntime): void {
  runtime.router.add(
    'discovery',
    ['GET'],
    new RegExp(`${TENANT_PREFIX}(?:/v2\\.0)?/\\.well-known/openid-configuration$`, 'i'),
    (ctx, params) => discovery(runtime, ctx, params),
  );
  runtime.router.add(
    'keys',
    ['GET'],
    new RegExp(`${TENANT_PREFIX}/discovery(?:/v2\\.0)?/keys$`, 'i'),
    (ctx, params) => {
      const { tenant } = tenantOf(params);
      runtime.resolveTenant(tenant);
      ctx.sendJson(200, { keys: [runtime.signingKey.jwk] }, { 'cache-control': 'max-age=86400, private' });
    },
  );
}

function discovery(runtime: EmulatorRuntime, ctx: HttpContext, params: RouteParams): void {
  const { tenant, flow } = tenantOf(params);
  const selector = runtime.resolveTenant(tenant);
  const base = runtime.baseUrl;
  let pathTenant: string;
  let issuerTenant: string;
  if (selector.kind === 'tenant') {
    pathTenant = selector.tenant.id;
    issuerTenant = selector.tenant.id;
    if (flow && !selector.tenant.userFlows.some((f) => f.toLowerCase() === flow.toLowerCase())) {
      throw new EntraError(
        'invalid_request',
        90002,
        `The user flow '${flow.slice(0, 100)}' does not exist in tenant '${tenant}'.`,
        {
          status: 404,
        },
      );
    }
  } else {
    pathTenant = selector.name;
    issuerTenant = '{tenantid}';
  }
  const prefix = flow ? `${base}/${pathTenant}/${flow}` : `${base}/${pathTenant}`;
  ctx.sendJson(
    200,
    {
      token_endpoint: `${prefix}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      jwks_uri: `${prefix}/discovery/v2.0/keys`,
      response_modes_supported: ['query', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      code_challenge_methods_supported: ['S256'],
      issuer: `${base}/${issuerTenant}/v2.0`,
      request_uri_parameter_supported: false,
      userinfo_endpoint: `${base}/oidc/userinfo`,
      authorization_endpoint: `${prefix}/oauth2/v2.0/authorize`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${prefix}/oauth2/v2.0/logout`,
      claims_supported: [
        'sub',
        'iss',
        'aud',
        'exp',
        'iat',
        'auth_time',
        'acr',
        'nonce',
        'preferred_username',
        'name',
        'tid',
        'ver',
        'at_hash',
        'c_hash',
        'email',
        'oid',
        'amr',
        'sid',
        'login_hint',
      ],
      tenant_region_scope: 'NA',
      cloud_instance_name: 'microsoftonline.com',
      cloud_graph_host_name: 'graph.windows.net',
      msgraph_host: new URL(base).host,
      rbac_url: 'https://pas.windows.net',
    },
    { 'cache-control': 'max-age=86400, private' },
  );
}
