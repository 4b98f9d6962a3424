import { GraphClientError, type AuthenticationProvider } from '@microsoft/microsoft-graph-client';
import { IdentityWebError, TokenAcquisitionService } from 'nest-identity-web';
import { IdentityWebGraphOptions } from './graph.options';
import type { GraphTokenOptions } from './graph-token.options';
import { carryThroughGraphClient } from './identity-error.carrier';

/**
 * The Graph client's `AuthenticationProvider` over `TokenAcquisitionService`: called before every
 * request, it returns the signed-in user's token for the configured scopes (or for the request's
 * {@link GraphTokenOptions}), or the app's own token when `requestAppToken` says so. Tokens come
 * from the library's cache; a user who must consent or pass MFA gets a `ChallengeUserException`,
 * which the injected client hands back unwrapped so `@AuthorizeForScopes()` and the module's
 * filters can run the round trip.
 *
 * Use it directly to build another client (a second base URL, your own middleware).
 *
 * @example
 * ```ts
 * constructor(private readonly auth: GraphAuthenticationProvider) {}
 * const beta = Client.initWithMiddleware({ authProvider: this.auth, defaultVersion: 'beta' });
 * ```
 */
export class GraphAuthenticationProvider implements AuthenticationProvider {
  constructor(
    private readonly tokens: TokenAcquisitionService,
    private readonly options: IdentityWebGraphOptions,
  ) {}

  /** An access token (not the header) for one Graph request. */
  async getAccessToken(options: GraphTokenOptions = {}): Promise<string> {
    try {
      const token = this.usesAppToken(options)
        ? await this.tokens.getAccessTokenForApp(this.appScope(options), {
            tenant: options.acquireTokenOptions?.tenant,
            forceRefresh: options.acquireTokenOptions?.forceRefresh,
            correlationId: options.acquireTokenOptions?.correlationId,
          })
        : await this.tokens.getAccessTokenForUser(
            options.scopes && options.scopes.length > 0 ? options.scopes : [...this.options.scopes],
            { ...options.acquireTokenOptions, user: options.user },
          );
      return token.accessToken;
    } catch (error) {
      // The Graph client would replace any other error with a GraphError that drops it.
      throw error instanceof GraphClientError ? error : carryThroughGraphClient(error);
    }
  }

  /** Whether a request with these options is sent with the app's token. */
  usesAppToken(options: GraphTokenOptions = {}): boolean {
    return options.requestAppToken ?? this.options.requestAppToken;
  }

  private appScope(options: GraphTokenOptions): string {
    const scopes = options.scopes ?? [];
    if (scopes.length === 0) return this.options.appScope;
    if (scopes.length === 1 && scopes[0].endsWith('/.default')) return scopes[0];
    throw new IdentityWebError(
      'invalid_call',
      `An app token for Graph is requested for one "/.default" scope (such as ${this.options.appScope}); got "${scopes.join(' ')}".`,
    );
  }
}
