/**
 * How `AzureAd` names the authority, read as Microsoft.Identity.Web reads it: `Instance` and
 * `TenantId` win over `Authority`, which is then ignored with a warning; a B2C / External ID user
 * flow builds `<instance>/<domain>/<flow>`; an External ID (CIAM) host `<name>.ciamlogin.com` given
 * without a tenant gets the tenant `<name>.onmicrosoft.com`.
 */
import type { SectionReader } from './section-reader';

const DEFAULT_INSTANCE = 'https://login.microsoftonline.com/';
const CIAM_HOST_SUFFIX = '.ciamlogin.com';

/** The `AzureAd` keys that name the authority, as read (absent when not given or unusable). */
export interface AuthorityKeys {
  authority?: string;
  instance?: string;
  tenantId?: string;
  domain?: string;
  signUpSignInPolicyId?: string;
  editProfilePolicyId?: string;
  resetPasswordPolicyId?: string;
}

/** What the authority keys resolve to: always an authority, an instance and a tenant. */
export interface ResolvedAuthority {
  authority: string;
  instance: string;
  tenantId: string;
  domain?: string;
}

function trimSlashes(value: string): string {
  return value.replace(/\/+$/, '');
}

/**
 * The tenant an External ID (CIAM) host stands for: `contoso.ciamlogin.com` →
 * `contoso.onmicrosoft.com`, as Microsoft.Identity.Web completes a CIAM authority that has none.
 */
export function ciamTenantOf(url: URL): string | undefined {
  const host = url.hostname.toLowerCase();
  if (!host.endsWith(CIAM_HOST_SUFFIX) || host.length === CIAM_HOST_SUFFIX.length) return undefined;
  return `${host.slice(0, -CIAM_HOST_SUFFIX.length)}.onmicrosoft.com`;
}

/** The path segments of an Authority URL, without `tfp` and `v2.0`. */
function authoritySegments(url: URL): string[] {
  const segments = url.pathname.split('/').filter(Boolean);
  if (segments[0]?.toLowerCase() === 'tfp') segments.shift();
  if (segments.at(-1)?.toLowerCase() === 'v2.0') segments.pop();
  return segments;
}

/** Warns that `Authority` is ignored, naming what wins and what, if anything, is taken from it. */
function warnIgnoredAuthority(azureAd: SectionReader, read: AuthorityKeys): void {
  const given = [read.instance && 'Instance', read.tenantId && 'TenantId'].filter(Boolean).join(' and ');
  const missing = read.instance === undefined ? 'Instance' : read.tenantId === undefined ? 'TenantId' : '';
  azureAd.report.warn(
    azureAd.pathOf('Authority'),
    `is ignored: ${given} ${given.includes(' and ') ? 'are' : 'is'} given and win${given.includes(' and ') ? '' : 's'} ` +
      `over it, as in Microsoft.Identity.Web${missing ? ` (the ${missing} is taken from the Authority)` : ''}; ` +
      'give either Authority, or Instance and TenantId.',
  );
}

/**
 * `authority`, `instance`, `tenantId` and `domain` from the keys given. Problems (no tenant, a B2C
 * flow without a domain) are reported on `azureAd`; the result is always filled so reading goes on.
 */
export function resolveAuthorityKeys(azureAd: SectionReader, read: AuthorityKeys): ResolvedAuthority {
  const report = azureAd.report;
  const { signUpSignInPolicyId, editProfilePolicyId, resetPasswordPolicyId } = read;
  const isB2C = [signUpSignInPolicyId, editProfilePolicyId, resetPasswordPolicyId].some(
    (p) => p !== undefined,
  );
  const authorityUrl = read.authority === undefined ? undefined : new URL(read.authority);
  const segments = authorityUrl ? authoritySegments(authorityUrl) : [];
  const instanceOrTenantGiven = read.instance !== undefined || read.tenantId !== undefined;
  const useAuthority = authorityUrl !== undefined && !instanceOrTenantGiven;
  if (authorityUrl && instanceOrTenantGiven) warnIgnoredAuthority(azureAd, read);

  let instance = DEFAULT_INSTANCE;
  if (read.instance !== undefined) instance = `${trimSlashes(new URL(read.instance).href)}/`;
  else if (authorityUrl) instance = `${authorityUrl.origin}/`;
  const instanceUrl = new URL(instance);

  let domain = read.domain;
  if (domain === undefined && isB2C && segments.length > 0) domain = segments[0];
  if (isB2C && domain === undefined) {
    report.error(
      azureAd.pathOf('Domain'),
      'is required with B2C / External ID user flows (SignUpSignInPolicyId...): the tenant domain, e.g. contoso.onmicrosoft.com.',
    );
  }
  if ((editProfilePolicyId || resetPasswordPolicyId) && !signUpSignInPolicyId) {
    report.error(
      azureAd.pathOf('SignUpSignInPolicyId'),
      'is required when EditProfilePolicyId or ResetPasswordPolicyId is given: the user flow users sign in with.',
    );
  }

  const tenantId = read.tenantId ?? (isB2C ? domain : segments[0]) ?? ciamTenantOf(instanceUrl);
  if (tenantId === undefined && !isB2C) {
    const hasAuthority = read.authority !== undefined;
    report.error(
      azureAd.pathOf(useAuthority ? 'Authority' : 'TenantId'),
      useAuthority
        ? 'names no tenant: give it as https://login.microsoftonline.com/<tenant>, or give TenantId.'
        : `is required${hasAuthority ? '' : ' (or give AzureAd:Authority)'}: the directory (tenant) ID, a domain such as ` +
            'contoso.onmicrosoft.com, or common / organizations / consumers.',
    );
  }

  let authority = `${trimSlashes(instance)}/${tenantId ?? ''}`;
  if (signUpSignInPolicyId && domain)
    authority = `${trimSlashes(instance)}/${domain}/${signUpSignInPolicyId}`;
  if (useAuthority && segments.length > 0) {
    authority = trimSlashes(trimSlashes(authorityUrl.href).replace(/\/v2\.0$/i, ''));
  }
  return { authority, instance, tenantId: tenantId ?? '', ...(domain !== undefined && { domain }) };
}
