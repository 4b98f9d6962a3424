export { IdentityWebError } from './identity-web.error';
export type { IdentityWebErrorCode } from './identity-web.error';
export { ChallengeUserException } from './challenge-user.exception';
export { ConsentDeclinedError } from './consent-declined.error';
export { CrossOriginRequestError } from './cross-origin-request.error';
export { RepeatedChallengeError } from './repeated-challenge.error';
export {
  DownstreamApiError,
  DownstreamApiRedirectError,
  DownstreamApiUnavailableError,
} from './downstream-api.error';
export { IdentityProviderError } from './identity-provider.error';
export { IdentityProviderUnavailableError } from './identity-provider-unavailable.error';
export { InvalidArgumentError } from './invalid-argument.error';
export { InvalidCallError } from './invalid-call.error';
export { InvalidConfigurationError } from './invalid-configuration.error';
export { InvalidReturnUrlError } from './invalid-return-url.error';
export { NoSignedInUserError } from './no-signed-in-user.error';
export { SignInRefusedError } from './sign-in-refused.error';
export { TokenCacheUnavailableError } from './token-cache-unavailable.error';
export { OptionsValidationError } from './options-validation.error';
export type { ConfigurationProblem } from './options-validation.error';
