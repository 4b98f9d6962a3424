/** A tenant (directory) the emulator serves. */
export interface TenantConfig {
  /** Tenant id (GUID). */
  id: string;
  /** Primary domain, e.g. `contoso.onmicrosoft.com`; usable instead of the GUID in URLs. */
  domain: string;
  displayName?: string;
  /** B2C-style user flows this tenant serves, e.g. `B2C_1_signupsignin`. */
  userFlows?: string[];
}

/** A user account. */
export interface UserConfig {
  /** Sign-in name (UPN), e.g. `alice@contoso.onmicrosoft.com`. */
  username: string;
  password: string;
  /** Object id (GUID); generated from the username when absent. */
  oid?: string;
  displayName?: string;
  givenName?: string;
  surname?: string;
  jobTitle?: string;
  /** Home tenant id; the default tenant when absent. */
  tenantId?: string;
  /** Tenants (ids) where the user is a guest and may sign in too. */
  guestIn?: string[];
  /**
   * MFA enrolled: the user completes the MFA step at every interactive sign-in, so the tokens
   * carry `amr: ["pwd","mfa"]`. Other users see the MFA step only when a policy or a claims
   * challenge asks for it.
   */
  mfaEnrolled?: boolean;
  /**
   * Whether the user has an MFA method registered; default true. A user without one who must do
   * MFA is asked to register it: the token endpoint answers AADSTS50079 instead of 50076, and the
   * MFA step of an interactive sign-in registers the method.
   */
  mfaRegistered?: boolean;
  /** App roles assigned to the user, per application (client id or identifier URI). */
  appRoles?: Record<string, string[]>;
}

/** An application registration (a client, an API, or both). */
export interface AppConfig {
  /** Application (client) id (GUID). */
  clientId: string;
  displayName: string;
  /** Home tenant; the default tenant when absent. */
  tenantId?: string;
  /** `AzureADMyOrg` (single tenant, default) or `AzureADMultipleOrgs`. */
  signInAudience?: 'AzureADMyOrg' | 'AzureADMultipleOrgs';
  /** A client secret accepted for this app (shorthand for one entry of `clientSecrets`). */
  clientSecret?: string;
  /** Client secrets accepted for this app. */
  clientSecrets?: string[];
  /** PEM certificates whose keys may sign client assertions (named by thumbprint in `x5t` or `x5t#S256`). */
  certificates?: string[];
  /** A public client (SPA, desktop) redeems codes without a credential. */
  publicClient?: boolean;
  /** Redirect URIs; `http://localhost` and `http://127.0.0.1` ones match on any port, like Entra. */
  redirectUris?: string[];
  postLogoutRedirectUris?: string[];
  /** Application ID URIs, e.g. `api://todo-api`. */
  identifierUris?: string[];
  /** Delegated scopes this app exposes as an API, e.g. `access_as_user`. */
  scopes?: string[];
  /** App roles this app defines, e.g. `Todo.ReadWrite.All`. */
  appRoles?: string[];
  /** Application permissions granted (admin-consented) to this app: `<resource>/<role>`. */
  applicationPermissions?: string[];
  /** Delegated permissions an administrator consented for all users: `<resource>/<scope>`. */
  adminConsentedScopes?: string[];
  /**
   * Access token version this API accepts (Entra's `accessTokenAcceptedVersion`): 2, or 1 — the
   * default when unset, as in Entra (Graph and Storage take 1 too). Set 2 for APIs that validate v2
   * tokens (`aud` = client id), as Microsoft's samples do.
   */
  accessTokenVersion?: 1 | 2;
}

/** A delegated consent a user gave a client, given up front. */
export interface ConsentConfig {
  /** Username or object id. */
  user: string;
  clientId: string;
  /** Full scope strings (`https://graph.microsoft.com/User.Read`) or Graph short names (`User.Read`). */
  scopes: string[];
}

/**
 * The former name of {@link ConsentConfig}.
 *
 * @deprecated Use `ConsentConfig`: "grant" now names only OAuth grant types.
 */
export type GrantConfig = ConsentConfig;

/** A conditional-access policy: tokens for `resource` need a sign-in that performed MFA. */
export interface ConditionalAccessPolicy {
  /** Identifier URI or client id of the protected resource. */
  resource: string;
  requireMfa: boolean;
}

/**
 * A directory given to {@link startEmulator} or the CLI's `--config`: entries extend the built-in
 * default directory, replacing entries with the same id/username/client id.
 */
export interface DirectoryConfig {
  /** Start from an empty directory (well-known Microsoft resources are always present). */
  replaceDefaults?: boolean;
  tenants?: TenantConfig[];
  users?: UserConfig[];
  apps?: AppConfig[];
  /** Consents given up front. */
  consents?: ConsentConfig[];
  /** @deprecated Use `consents`; entries of both keys apply. */
  grants?: ConsentConfig[];
  conditionalAccess?: ConditionalAccessPolicy[];
}

/** A tenant as the emulator holds it. */
export interface Tenant {
  readonly id: string;
  readonly domain: string;
  readonly displayName: string;
  readonly userFlows: readonly string[];
}

/** A user as the emulator holds it. */
export interface User {
  readonly username: string;
  readonly password: string;
  readonly oid: string;
  readonly displayName: string;
  readonly givenName?: string;
  readonly surname?: string;
  readonly jobTitle?: string;
  readonly tenantId: string;
  readonly guestIn: readonly string[];
  readonly mfaEnrolled: boolean;
  /** Has an MFA method; set once the user registers one in the MFA step. */
  mfaRegistered: boolean;
  readonly appRoles: Readonly<Record<string, readonly string[]>>;
  /** Refresh tokens issued before this time (epoch seconds) are revoked. */
  tokensValidAfter: number;
}

/** An application (client and/or resource) as the emulator holds it. */
export interface App {
  readonly clientId: string;
  readonly displayName: string;
  readonly tenantId: string;
  readonly signInAudience: 'AzureADMyOrg' | 'AzureADMultipleOrgs';
  readonly clientSecrets: readonly string[];
  readonly certificates: readonly string[];
  readonly publicClient: boolean;
  readonly redirectUris: readonly string[];
  readonly postLogoutRedirectUris: readonly string[];
  readonly identifierUris: readonly string[];
  readonly scopes: readonly string[];
  readonly appRoles: readonly string[];
  readonly applicationPermissions: readonly string[];
  readonly adminConsentedScopes: readonly string[];
  readonly accessTokenVersion: 1 | 2;
  /** One of Microsoft's own resources (Graph, Storage). */
  readonly wellKnown: boolean;
}
