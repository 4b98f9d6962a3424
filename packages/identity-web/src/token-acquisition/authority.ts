import type { IdentityWebOptions } from '../options/identity-web.options';

/** Hosts for which MSAL ships cloud discovery metadata and needs no `knownAuthorities`. */
const MICROSOFT_HOSTS = new Set([
  'login.microsoftonline.com',
  'login.microsoft.com',
  'login.windows.net',
  'sts.windows.net',
  'login.microsoftonline.us',
  'login.usgovcloudapi.net',
  'login.chinacloudapi.cn',
  'login.partner.microsoftonline.cn',
]);

/** Which authority a request goes to. */
export interface AuthorityRequest {
  /** A tenant other than the configured one (guest users, app tokens in another tenant). */
  tenant?: string;
  /** A B2C / External ID user flow; builds `<instance>/<domain>/<userFlow>`. */
  userFlow?: string;
}

/** What an authority is built from: the validated `azureAd` options, where `authority` wins when set. */
type AuthoritySettings = Pick<IdentityWebOptions['azureAd'], 'instance' | 'tenantId' | 'domain'> & {
  authority?: string;
};

/**
 * The authority URL (no trailing slash, no `/v2.0`) for a request: the configured authority or
 * `instance` + `tenantId`, with the tenant replaced when `tenant` is given, or the B2C-style
 * `instance/domain/userFlow` when a user flow is.
 *
 * @example
 * ```ts
 * resolveAuthority({ instance: 'https://login.microsoftonline.com/', tenantId: 'common', ... }, { tenant: 'contoso.com' });
 * // 'https://login.microsoftonline.com/contoso.com'
 * ```
 */
export function resolveAuthority(azureAd: AuthoritySettings, request: AuthorityRequest = {}): string {
  const configured = trimAuthority(azureAd.authority ?? `${trimSlash(azureAd.instance)}/${azureAd.tenantId}`);
  const url = new URL(configured);
  const segments = url.pathname.split('/').filter(Boolean);
  const tenantSegment = segments[0] ?? azureAd.tenantId;
  if (request.userFlow) {
    const domain = azureAd.domain ?? tenantSegment;
    return `${url.origin}/${domain}/${request.userFlow}`;
  }
  if (request.tenant && request.tenant.toLowerCase() !== tenantSegment.toLowerCase()) {
    return `${url.origin}/${[request.tenant, ...segments.slice(1)].join('/')}`;
  }
  return configured;
}

/** The tenant segment of an authority URL (`common`, a GUID, a domain). */
export function authorityTenant(authority: string): string {
  return new URL(authority).pathname.split('/').filter(Boolean)[0] ?? '';
}

/** `host[:port]` of an authority, as MSAL's `knownAuthorities` wants it. */
export function authorityHost(authority: string): string {
  return new URL(authority).host;
}

/** `true` when MSAL knows the host's cloud by itself; otherwise pass it in `knownAuthorities`. */
export function isMicrosoftCloudHost(host: string): boolean {
  return MICROSOFT_HOSTS.has(host.toLowerCase());
}

/** The OpenID Connect discovery document of an authority. */
export function openIdConfigurationUrl(authority: string): string {
  return `${authority}/v2.0/.well-known/openid-configuration`;
}

function trimSlash(value: string): string {
  return value.replace(/\/+$/, '');
}

function trimAuthority(value: string): string {
  return trimSlash(trimSlash(value).replace(/\/v2\.0$/i, ''));
}
