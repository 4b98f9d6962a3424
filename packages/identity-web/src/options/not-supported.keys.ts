/**
 * Microsoft.Identity.Web keys that appsettings files carry and this library does not read, by
 * section, each with why (or how to say it here): each gets a warning of its own at start-up.
 */
import type { NotSupported } from './option-section';

/** `AzureAd` keys of Microsoft.Identity.Web's application and OpenID Connect options. */
export const AZURE_AD_NOT_SUPPORTED: NotSupported = {
  ExtraQueryParameters: 'extra parameters on the authorize request',
  ResponseType: 'sign-in always uses the authorization code flow with PKCE',
  UsePkce: 'PKCE is always used',
  SaveTokens: 'tokens stay in the token cache, never in the session',
  Scope: 'give the scopes to request at sign-in as InitialScopes',
  Prompt: 'pass prompt to /account/signin or a challenge instead',
  MaxAge: '',
  TokenDecryptionCredentials: 'encrypted ID tokens',
  TokenDecryptionCertificates: 'encrypted ID tokens',
  ClientCredentialsUsingManagedIdentity: 'give a SignedAssertionFilePath credential for workload identity',
  UserAssignedManagedIdentityClientId: 'managed identity',
  AzureRegion: 'regional token endpoints',
  AppHomeTenantId: '',
  Audience: 'a web API setting: this library signs users in to web apps',
  Audiences: 'a web API setting: this library signs users in to web apps',
  AllowWebApiToBeAuthorizedByACL: 'a web API setting: this library signs users in to web apps',
  WithSpaAuthCode: '',
  LegacyCacheCompatibilityEnabled: '',
  EnableCacheSynchronization: '',
  EnablePiiLogging: 'personal data is never logged',
  SignedOutRedirectUri: 'give PostLogoutRedirectPath',
  ResetPasswordPath: 'the route is {AccountRoutesPrefix}/resetpassword',
  ErrorPath: 'errors are answered by the module',
  PreserveAuthority: 'the Authority is always used as written',
  MapInboundClaims: '',
  ClientName: '',
  ClientVersion: '',
};

/** `DownstreamApis:<name>` keys of Microsoft.Identity.Abstractions' `DownstreamApiOptions`. */
export const DOWNSTREAM_API_NOT_SUPPORTED: NotSupported = {
  ProtocolScheme: 'calls always send Bearer tokens',
};

/** `DownstreamApis:<name>:AcquireTokenOptions` keys of Microsoft.Identity.Abstractions' `AcquireTokenOptions`. */
export const ACQUIRE_TOKEN_NOT_SUPPORTED: NotSupported = {
  ExtraQueryParameters: 'extra parameters on the token request',
  ExtraHeaderParameters: 'extra headers on the token request',
  ExtraParameters: '',
  LongRunningWebApiSessionKey: 'long-running on-behalf-of sessions',
  ManagedIdentity: "tokens come from the app registration's client credentials",
  PopPublicKey: 'proof-of-possession tokens',
  PopClaim: 'proof-of-possession tokens',
  AuthenticationOptionsName: 'the app has one AzureAd section',
  FmiPath: '',
};
