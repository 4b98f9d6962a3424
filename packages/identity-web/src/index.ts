// Errors
export { IdentityWebError, InvalidConfigurationError, ChallengeUserException } from './errors';
export type { IdentityWebErrorCode } from './errors';

// Module
export { IdentityWebModule } from './identity-web.module';
export { IDENTITY_WEB_MODULE_OPTIONS } from './identity-web.module-definition';
export type {
  IdentityWebForRootAsyncOptions,
  IdentityWebForRootOptions,
} from './identity-web.module-definition';

// Options and configuration
export { IdentityWebOptions } from './options/identity-web.options';
export type { IdentityWebModuleOptions } from './options/module-options';
export type { ConfigurationSection, IdentityWebAppSettings } from './options/identity-web.app-settings';
export type { MicrosoftIdentityOptions } from './options/azure-ad.section';
export type { CredentialDescription, CredentialSourceType } from './options/credentials.section';
export type {
  AcquireTokenOptions,
  DownstreamApiOptions,
  HttpMethod,
} from './options/downstream-apis.section';
export type { SessionOptions } from './options/session.section';
export type { TokenCacheOptions } from './options/token-cache.section';
export type { ConsentOptions } from './options/consent.section';
export type { SignOutMethod } from './options/identity-web.section';
export { IdentityWebConfiguration } from './options/identity-web.configuration';
export { normalizeOptions } from './options/normalize-options';
export type { OptionsLogger } from './options/normalize-options';
export { OptionsValidationError } from './options/options-validation.error';
export type { ConfigurationProblem } from './options/options-report';
export { applyEnvironmentOverrides } from './options/environment-overrides';

// HTTP helpers
export {
  assertSafeReturnUrl,
  isSafeReturnUrl,
  MAX_RETURN_URL_LENGTH,
  resolveReturnUrl,
} from './http/return-url';
export type { ReturnUrlOptions } from './http/return-url';
export { getClaimsChallenge, parseWwwAuthenticate } from './http/www-authenticate';
export type { AuthenticationChallenge, HeadersLike } from './http/www-authenticate';

// Downstream APIs
export { DownstreamApiService } from './downstream-api/downstream-api.service';
export { AuthorizationHeaderProvider } from './downstream-api/authorization-header.provider';
export type { AuthorizationHeaderOptions } from './downstream-api/authorization-header.provider';
export { DownstreamApiError, DownstreamApiUnavailableError } from './downstream-api/downstream-api.error';
export { OIDC_SCOPES, unionScopes } from './token-acquisition/scopes';
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
export { ChallengeScopesInterceptor } from './consent/challenge-scopes.interceptor';
export type { AuthorizeForScopesOptions } from './consent/authorize-for-scopes.options';

// Sign-in
export { AllowAnonymous, ALLOW_ANONYMOUS_KEY } from './sign-in/allow-anonymous.decorator';
export { EntraIdStrategy } from './sign-in/entra-id.strategy';
export { EntraIdOidcStrategy, SIGN_IN_SCOPES } from './sign-in/entra-id-oidc.strategy';
export type { EntraIdAuthenticateOptions, EntraIdSignInInfo } from './sign-in/entra-id-oidc.strategy';
export { IdTokenValidator } from './sign-in/id-token.validator';
export type { IdTokenExpectations } from './sign-in/id-token.validator';
export { sessionUser } from './sign-in/sign-in-session';
export { DEFAULT_SESSION_COOKIE } from './sign-in/session.middleware';
export { isBrowserNavigation, isTopLevelNavigation, requestOrigin } from './http/browser-request';
export { CurrentUser } from './sign-in/current-user.decorator';
export { SignedInGuard } from './sign-in/signed-in.guard';
export { SignInRequiredGuard } from './sign-in/sign-in-required.guard';
export type { SignedInUser } from './token-acquisition/signed-in-user';
export { IdentityWebErrorFilter } from './identity-web-error.filter';
export { currentRequestContext, runWithRequestContext } from './token-acquisition/request-context';
export type { IdentityWebRequestContext } from './token-acquisition/request-context';

// Token acquisition and cache
export { TokenAcquisitionService } from './token-acquisition/token-acquisition.service';
export type {
  AppTokenOptions,
  AuthorizationCodeUrlParameters,
  RedeemAuthorizationCodeParameters,
  TokenRequestOptions,
  UserTokenOptions,
} from './token-acquisition/token-acquisition.service';
export type { AuthorityMetadata } from './token-acquisition/authority-metadata.cache';
export type { AccessToken } from './token-cache/access-token';
export { TokenCacheStore, isTokenCacheStore } from './token-cache/token-cache.store';
export { InMemoryTokenCacheStore } from './token-cache/in-memory-token-cache.store';
export type { InMemoryTokenCacheStoreOptions } from './token-cache/in-memory-token-cache.store';
