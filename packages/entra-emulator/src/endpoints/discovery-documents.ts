import type { Tenant } from '../directory/directory.types';

/** Where a discovery document is served and what it describes. */
export interface DiscoveryContext {
  /** `https://localhost:<port>`. */
  baseUrl: string;
  /** The tenant id or `common`/`organizations`/`consumers` the endpoints are written with. */
  pathTenant: string;
  /** The tenant id in the issuer, or `{tenantid}` for the multi-tenant segments. */
  issuerTenant: string;
  /** Adds `code_challenge_methods_supported`, which Entra leaves out. */
  advertisePkce: boolean;
}

/** Entra's v2.0 `claims_supported`. */
const V2_CLAIMS = [
  'sub',
  'iss',
  'cloud_instance_name',
  'cloud_instance_host_name',
  'cloud_graph_host_name',
  'msgraph_host',
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
];

/**
 * The v2.0 document (`/{tenant}/v2.0/.well-known/openid-configuration`) in Entra's shape: no
 * `code_challenge_methods_supported` unless asked for, issuer `…/{tid}/v2.0`.
 *
 * @example
 * ```ts
 * ctx.sendJson(200, v2Document({ baseUrl, pathTenant: tid, issuerTenant: tid, advertisePkce: false }));
 * ```
 */
export function v2Document(c: DiscoveryContext): Record<string, unknown> {
  const prefix = `${c.baseUrl}/${c.pathTenant}`;
  return {
    token_endpoint: `${prefix}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${prefix}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    ...pkce(c),
    issuer: `${c.baseUrl}/${c.issuerTenant}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${c.baseUrl}/oidc/userinfo`,
    authorization_endpoint: `${prefix}/oauth2/v2.0/authorize`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${prefix}/oauth2/v2.0/logout`,
    claims_supported: V2_CLAIMS,
    ...cloud(c),
  };
}

/**
 * The v1.0 document (`/{tenant}/.well-known/openid-configuration`): issuer
 * `https://sts.windows.net/{tid}/` (the issuer of v1 tokens), v1 endpoints and key set.
 *
 * @example
 * ```ts
 * v1Document(c).issuer; // 'https://sts.windows.net/<tid>/'
 * ```
 */
export function v1Document(c: DiscoveryContext): Record<string, unknown> {
  const prefix = `${c.baseUrl}/${c.pathTenant}`;
  return {
    token_endpoint: `${prefix}/oauth2/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${prefix}/discovery/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code'],
    scopes_supported: ['openid'],
    ...pkce(c),
    issuer: `https://sts.windows.net/${c.issuerTenant}/`,
    microsoft_multi_refresh_token: true,
    authorization_endpoint: `${prefix}/oauth2/authorize`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${prefix}/oauth2/logout`,
    claims_supported: [
      'sub',
      'iss',
      'aud',
      'exp',
      'iat',
      'auth_time',
      'acr',
      'amr',
      'nonce',
      'email',
      'given_name',
      'family_name',
      'nickname',
    ],
    userinfo_endpoint: `${prefix}/openid/userinfo`,
    ...cloud(c),
  };
}

/**
 * A B2C user flow's document, as B2C serves it at `/{tenant}/{flow}/v2.0/.well-known/…` or
 * `/{tenant}/v2.0/.well-known/…?p={flow}`: endpoints under the tenant's domain with the flow in
 * lower case (in the path, or in `?p=` for the query form), issuer `…/{tid}/v2.0/` (with the
 * trailing slash), no userinfo endpoint.
 *
 * @example
 * ```ts
 * b2cDocument(baseUrl, contoso, 'B2C_1_susi', 'path').authorization_endpoint;
 * // 'https://localhost:8443/contoso.onmicrosoft.com/b2c_1_susi/oauth2/v2.0/authorize'
 * ```
 */
export function b2cDocument(
  baseUrl: string,
  tenant: Tenant,
  flow: string,
  form: 'path' | 'query',
  advertisePkce: boolean,
): Record<string, unknown> {
  const policy = flow.toLowerCase();
  const endpoint = (path: string) =>
    form === 'path'
      ? `${baseUrl}/${tenant.domain}/${policy}/${path}`
      : `${baseUrl}/${tenant.domain}/${path}?p=${policy}`;
  return {
    issuer: `${baseUrl}/${tenant.id}/v2.0/`,
    authorization_endpoint: endpoint('oauth2/v2.0/authorize'),
    token_endpoint: endpoint('oauth2/v2.0/token'),
    end_session_endpoint: endpoint('oauth2/v2.0/logout'),
    jwks_uri: endpoint('discovery/v2.0/keys'),
    response_modes_supported: ['query', 'fragment', 'form_post'],
    response_types_supported: ['code'],
    scopes_supported: ['openid'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
    ...(advertisePkce ? { code_challenge_methods_supported: ['plain', 'S256'] } : {}),
    claims_supported: [
      'name',
      'emails',
      'idp',
      'oid',
      'sub',
      'tfp',
      'iss',
      'iat',
      'exp',
      'aud',
      'acr',
      'nonce',
      'auth_time',
    ],
  };
}

function pkce(c: DiscoveryContext): Record<string, unknown> {
  return c.advertisePkce ? { code_challenge_methods_supported: ['plain', 'S256'] } : {};
}

function cloud(c: DiscoveryContext): Record<string, unknown> {
  return {
    tenant_region_scope: 'NA',
    cloud_instance_name: 'microsoftonline.com',
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: new URL(c.baseUrl).host,
    rbac_url: 'https://pas.windows.net',
  };
}
