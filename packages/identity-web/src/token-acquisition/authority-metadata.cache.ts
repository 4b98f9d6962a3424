import { IdentityProviderError, IdentityProviderUnavailableError } from '../errors';
import { certificateFailure } from '../http/tls-failure';
import type { IdpHttpClient } from './idp-http.client';
import { openIdConfigurationUrl } from './authority';

/** The parts of an OpenID Connect discovery document the library uses. */
export interface AuthorityMetadata {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
  end_session_endpoint?: string;
  [other: string]: unknown;
}

/** What is kept per authority: the document, and its JSON for MSAL's `authorityMetadata`. */
export interface CachedAuthorityMetadata {
  metadata: AuthorityMetadata;
  json: string;
}

/**
 * Discovery documents fetched once per authority (concurrent first callers share one fetch; a
 * failed fetch is not remembered). Handed to every MSAL client as `authorityMetadata`, so MSAL
 * never fetches them itself, however many clients are made.
 *
 * @example
 * ```ts
 * const cache = new AuthorityMetadataCache(http);
 * const { metadata } = await cache.get('https://login.microsoftonline.com/contoso.com');
 * ```
 */
export class AuthorityMetadataCache {
  private readonly entries = new Map<string, Promise<CachedAuthorityMetadata>>();
  private readonly resolved = new Map<string, CachedAuthorityMetadata>();

  constructor(
    private readonly http: IdpHttpClient,
    private readonly maxEntries = 1_000,
  ) {}

  /** The metadata of `authority` if already fetched, without waiting. */
  peek(authority: string): CachedAuthorityMetadata | undefined {
    return this.resolved.get(authority);
  }

  /** The metadata of `authority`, fetching it the first time. */
  get(authority: string): Promise<CachedAuthorityMetadata> {
    const known = this.entries.get(authority);
    if (known) return known;
    const pending = this.fetch(authority).then(
      (entry) => {
        this.resolved.set(authority, entry);
        return entry;
      },
      (error: unknown) => {
        this.entries.delete(authority);
        throw error;
      },
    );
    this.entries.set(authority, pending);
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
      this.resolved.delete(oldest);
    }
    return pending;
  }

  private async fetch(authority: string): Promise<CachedAuthorityMetadata> {
    let metadata: AuthorityMetadata;
    try {
      metadata = await this.http.getJson<AuthorityMetadata>(openIdConfigurationUrl(authority));
    } catch (error) {
      throw new IdentityProviderUnavailableError(
        `Could not read the OpenID configuration of ${authority}: ${(error as Error).message}`,
        { cause: error, certificateFailure: certificateFailure(error) },
      );
    }
    for (const field of ['issuer', 'authorization_endpoint', 'token_endpoint', 'jwks_uri'] as const) {
      if (typeof metadata?.[field] !== 'string') {
        throw new IdentityProviderError(
          `The OpenID configuration of ${authority} has no ${field}; is the authority right?`,
        );
      }
    }
    return { metadata, json: JSON.stringify(metadata) };
  }
}
