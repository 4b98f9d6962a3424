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
export type {
  AcquireTokenOptions,
  CredentialDescription,
  CredentialSourceType,
  DownstreamApiOptions,
  HttpMethod,
  IdentityWebModuleOptions,
  MicrosoftIdentityModuleOptions,
  MicrosoftIdentityOptions,
  ResolvedMicrosoftIdentityOptions,
  ResolvedSessionOptions,
  ResolvedTokenCacheOptions,
  SessionOptions,
  TokenCacheOptions,
} from './options/identity-web.options';
export type {
  ConfigurationSection,
  IdentityWebAppSettings,
  IdentityWebModuleInput,
} from './options/identity-web.app-settings';
export { IdentityWebConfiguration } from './options/identity-web.configuration';
export { normalizeOptions } from './options/normalize-options';
export type { OptionsLogger } from './options/normalize-options';
export { OptionsValidationError } from './options/options-validation.error';
export type { ConfigurationProblem } from './options/option-fields';
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
export { DownstreamApiError } from './downstream-api/downstream-api.error';
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
