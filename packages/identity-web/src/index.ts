// Errors
export {
  ChallengeUserException,
  ConsentDeclinedError,
  CrossOriginRequestError,
  DownstreamApiError,
  DownstreamApiRedirectError,
  DownstreamApiUnavailableError,
  IdentityProviderError,
  IdentityProviderUnavailableError,
  IdentityWebError,
  InvalidArgumentError,
  InvalidCallError,
  InvalidConfigurationError,
  InvalidReturnUrlError,
  NoSignedInUserError,
  OptionsValidationError,
  RepeatedChallengeError,
  SignInRefusedError,
  TokenCacheUnavailableError,
} from './errors';
export type { ConfigurationProblem, IdentityWebErrorCode } from './errors';

// Module
export { IdentityWebModule } from './identity-web.module';
export type {
  IdentityWebForRootAsyncOptions,
  IdentityWebForRootOptions,
} from './identity-web.module-definition';

// Options and configuration
export { IdentityWebOptions } from './options/identity-web.options';
export type { IdentityWebModuleOptions } from './options/module-options';
export type { IdentityWebAppSettings } from './options/identity-web.app-settings';
export type { MicrosoftIdentityOptions } from './options/azure-ad.section';
export type { CredentialDescription, CredentialSourceType } from './options/credentials.section';
export type {
  AcquireTokenOptions,
  DownstreamApiOptions,
  HttpMethod,
} from './options/downstream-apis.section';
export type { SessionOptions } from './options/session.section';
export type {
  TokenCacheEncryptionKey,
  TokenCacheOptions,
  TokenCachePostgresOptions,
  TokenCacheRedisOptions,
} from './options/token-cache.section';
export type { ConsentOptions } from './options/consent.section';
export type { HttpOptions, HttpTransport } from './options/http.section';
export type { SignOutMethod } from './options/identity-web.section';
export { IdentityWebConfiguration } from './options/identity-web.configuration';
export { loadAppSettings } from './options/app-settings.loader';
export type { LoadAppSettingsOptions } from './options/app-settings.loader';
export { normalizeOptions } from './options/normalize-options';
export type { OptionsLogger } from './options/normalize-options';

// Return URLs and claims challenges, for apps that redirect or call APIs themselves
export { assertSafeReturnUrl, isSafeReturnUrl, resolveReturnUrl } from './http/return-url';
export { RETURN_URL_HEADER } from './http/caller-page';
export type { ReturnUrlOptions } from './http/return-url';
export { getClaimsChallenge, parseWwwAuthenticate } from './http/www-authenticate';
export type { AuthenticationChallenge, HeadersLike } from './http/www-authenticate';

// Sign-in
export { AllowAnonymous, ALLOW_ANONYMOUS_KEY } from './sign-in/allow-anonymous.decorator';
export { AllowCrossOrigin, ALLOW_CROSS_ORIGIN_KEY } from './sign-in/allow-cross-origin.decorator';
export { CrossOriginGuard } from './sign-in/cross-origin.guard';
export { CurrentUser } from './sign-in/current-user.decorator';
export { EntraIdStrategy } from './sign-in/entra-id.strategy';
export { SignedInGuard } from './sign-in/signed-in.guard';
export type { SignedInUser } from './token-acquisition/signed-in-user';

// Token acquisition and the token cache
export { TokenAcquisitionService } from './token-acquisition/token-acquisition.service';
export type {
  AppTokenOptions,
  TokenRequestOptions,
  UserTokenOptions,
} from './token-acquisition/token-acquisition.service';
export { OIDC_SCOPES } from './token-acquisition/scopes';
export type { AccessToken } from './token-cache/access-token';
export { TokenCacheStore } from './token-cache/token-cache.store';
export { InMemoryTokenCacheStore } from './token-cache/in-memory-token-cache.store';
export type { InMemoryTokenCacheStoreOptions } from './token-cache/in-memory-token-cache.store';
export { DistributedTokenCacheStore } from './token-cache/distributed-token-cache.store';
export type {
  DistributedTokenCacheStoreOptions,
  TokenCacheHealth,
} from './token-cache/distributed-token-cache.options';
export { CacheManagerTokenCacheStore } from './token-cache/cache-manager-token-cache.store';
export { TokenCacheCodec } from './token-cache/token-cache.codec';
export { TokenCacheHealthIndicator } from './token-cache/token-cache-health.indicator';
export type { TokenCacheHealthResult } from './token-cache/token-cache-health.indicator';

// Outside a request: workers and scripts
export { createTokenAcquirer, TokenAcquirer } from './worker/token-acquirer';
export type { TokenAcquirerOverrides } from './worker/token-acquirer';

// Downstream APIs
export { DownstreamApiService } from './downstream-api/downstream-api.service';
export { AuthorizationHeaderProvider } from './downstream-api/authorization-header.provider';
export type { AuthorizationHeaderOptions } from './downstream-api/authorization-header.provider';
export type {
  DownstreamApiCallOptions,
  DownstreamApiOverrides,
  DownstreamApiRequest,
  DownstreamApiResponse,
} from './downstream-api/downstream-api.options';

// Consent and conditional access
export { AuthorizeForScopes } from './consent/authorize-for-scopes.decorator';
export { AuthorizeForScopesFilter } from './consent/authorize-for-scopes.filter';
export type { ConsentChallenge } from './consent/authorize-for-scopes.filter';
export type { AuthorizeForScopesOptions } from './consent/authorize-for-scopes.options';
