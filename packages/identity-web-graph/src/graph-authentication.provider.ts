import { GraphClientError, type AuthenticationProvider } from '@microsoft/microsoft-graph-client';
import { TokenAcquisitionService } from 'nest-identity-web';
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
  private readonly appScopes: readonly string[];

  constructor(
    private readonly tokens: TokenAcquisitionService,
    private readonly options: IdentityWebGraphOptions,
  ) {
    this.appScopes = [options.appScope];
  }

  /**
   * An access token (not the header) for one Graph request. An app token is for one `/.default`
   * scope (the module's `appScope` unless the request names one); anything else is an
   * `IdentityWebError` `invalid_call`.
   */
  async getAccessToken(options: GraphTokenOptions = {}): Promise<string> {
    try {
      const requestAppToken = this.usesAppToken(options);
      const scopes =
        options.scopes && options.scopes.length > 0
          ? options.scopes
          : requestAppToken
            ? this.appScopes
            : this.options.scopes;
      const token = await this.tokens.getAccessToken(scopes, {
        requestAppToken,
        acquireTokenOptions: options.acquireTokenOptions,
        user: options.user,
      });
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
}
