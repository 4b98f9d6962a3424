export { IdentityWebError, InvalidConfigurationError } from './identity-web.error';
export type { IdentityWebErrorCode } from './identity-web.error';
export { ChallengeUserException } from './challenge-user.exception';
