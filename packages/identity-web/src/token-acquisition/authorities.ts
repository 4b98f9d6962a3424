import { InvalidConfigurationError } from '../errors';
import type { IdentityWebOptions } from '../options/identity-web.options';
import { authorityTenant, resolveAuthority, type AuthorityRequest } from './authority';
import type { AuthorityMetadata, AuthorityMetadataCache } from './authority-metadata.cache';

/** Tenant segments that name no tenant: a user chooses one at sign-in, an app token cannot. */
const TENANTLESS = new Set(['common', 'organizations', 'consumers']);

/**
 * The app's authorities: which one a request goes to (its tenant, its B2C / External ID user
 * flow, the sign-up-sign-in flow by default) and their discovery documents, fetched once.
 *
 * @example
 * ```ts
 * authorities.resolve({ tenant: 'contoso.com' }); // 'https://login.microsoftonline.com/contoso.com'
 * const { end_session_endpoint } = await authorities.metadata();
 * ```
 */
export class Authorities {
  constructor(
    private readonly options: Pick<IdentityWebOptions, 'azureAd'>,
    private readonly metadataCache: AuthorityMetadataCache,
  ) {}

  /** The user flow of a request: the one asked for, else the sign-up-sign-in flow, else `''`. */
  userFlow(requested: string | undefined): string {
    return requested ?? this.options.azureAd.signUpSignInPolicyId ?? '';
  }

  /** The authority URL of a request (no trailing slash, no `/v2.0`). */
  resolve(request: AuthorityRequest = {}): string {
    return resolveAuthority(this.options.azureAd, request);
  }

  /**
   * The tenant an app token is requested in: the one asked for, else the configured one. A
   * tenant-less authority (`common`...) is refused: client credentials need a real tenant.
   */
  appTokenTenant(requested: string | undefined): string {
    const tenant = requested ?? authorityTenant(this.resolve());
    if (TENANTLESS.has(tenant.toLowerCase())) {
      throw new InvalidConfigurationError(
        'AzureAd:TenantId',
        `is "${tenant}": an app token needs a specific tenant; configure one or pass options.tenant.`,
      );
    }
    return tenant;
  }

  /** The discovery document of the authority of `userFlow` (the default flow when absent). */
  async metadata(userFlow?: string): Promise<AuthorityMetadata> {
    const authority = this.resolve({ userFlow: this.userFlow(userFlow) });
    return (await this.metadataCache.get(authority)).metadata;
  }
}
