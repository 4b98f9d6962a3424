export { IdentityWebError, InvalidConfigurationError, ChallengeUserException } from './errors';
export type { IdentityWebErrorCode } from './errors';
export type {
  AcquireTokenOptions,
  CredentialDescription,
  CredentialSourceType,
  DownstreamApiOptions,
  HttpMethod,
  IdentityWebModuleOptions,
  MicrosoftIdentityOptions,
} from './options/identity-web.options';
