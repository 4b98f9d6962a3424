import type { IdentityWebOptions } from '../options/identity-web.options';
import { resolveAuthority, type AuthorityRequest } from './authority';
import type { AuthorityMetadata, AuthorityMetadataCache } from './authority-metadata.cache';

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

  /** The discovery document of the authority of `userFlow` (the default flow when absent). */
  async metadata(userFlow?: string): Promise<AuthorityMetadata> {
    const authority = this.resolve({ userFlow: this.userFlow(userFlow) });
    return (await this.metadataCache.get(authority)).metadata;
  }
}
