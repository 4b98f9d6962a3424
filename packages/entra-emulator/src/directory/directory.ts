import { createHash } from 'node:crypto';

import { EntraError } from '../errors/entra-error';
import {
  DEFAULT_APPS,
  DEFAULT_TENANTS,
  DEFAULT_TENANT_ID,
  DEFAULT_USERS,
  WELL_KNOWN_RESOURCES,
} from './default-directory';
import type {
  AppConfig,
  ConditionalAccessPolicy,
  DirectoryConfig,
  GrantConfig,
  TenantConfig,
  UserConfig,
} from './directory.types';

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

/** The OpenID Connect scopes, which belong to no resource. */
export const OIDC_SCOPES: readonly string[] = ['openid', 'profile', 'email', 'offline_access'];

/**
 * The tenants, users, applications, consent grants and conditional-access policies the emulator
 * serves. A live view: changes through the control API show here at once.
 *
 * @example
 * ```ts
 * const alice = emu.directory.findUser('alice@contoso.onmicrosoft.com');
 * ```
 */
export class Directory {
  private tenantList: Tenant[] = [];
  private userList: User[] = [];
  private appList: App[] = [];
  private policyList: ConditionalAccessPolicy[] = [];
  /** `${oid}|${clientId}` → lower-cased scope keys (`openid`, `<resourceClientId>/<scope>`). */
  private readonly grants = new Map<string, Set<string>>();

  constructor(private readonly config: DirectoryConfig = {}) {
    this.reset();
  }

  /** Tenants, in configuration order. */
  get tenants(): readonly Tenant[] {
    return this.tenantList;
  }
  /** Users, in configuration order. */
  get users(): readonly User[] {
    return this.userList;
  }
  /** Applications, including the well-known Microsoft resources. */
  get apps(): readonly App[] {
    return this.appList;
  }
  /** Conditional-access policies in force. */
  get conditionalAccess(): readonly ConditionalAccessPolicy[] {
    return this.policyList;
  }
  /** The tenant served when a request names none (the first one configured). */
  get defaultTenant(): Tenant {
    return (
      this.tenantList[0] ?? {
        id: DEFAULT_TENANT_ID,
        domain: 'contoso.onmicrosoft.com',
        displayName: 'Contoso',
        userFlows: [],
      }
    );
  }

  /** Back to the configured directory: drops added users/apps, grants, policies and revocations. */
  reset(): void {
    const defaults = !this.config.replaceDefaults;
    this.tenantList = [];
    this.userList = [];
    this.appList = [];
    this.policyList = [];
    this.grants.clear();
    for (const tenant of [
      ...(defaults ? Object.values(DEFAULT_TENANTS) : []),
      ...(this.config.tenants ?? []),
    ]) {
      this.addTenant(tenant);
    }
    for (const app of Object.values(WELL_KNOWN_RESOURCES)) this.addApp(app, true);
    for (const app of [...(defaults ? Object.values(DEFAULT_APPS) : []), ...(this.config.apps ?? [])])
      this.addApp(app);
    for (const user of [...(defaults ? Object.values(DEFAULT_USERS) : []), ...(this.config.users ?? [])]) {
      this.addUser(user);
    }
    for (const grant of this.config.grants ?? []) this.grantConsent(grant);
    for (const policy of this.config.conditionalAccess ?? []) this.setConditionalAccess(policy);
  }

  /** Adds (or replaces, by id) a tenant. */
  addTenant(config: TenantConfig): Tenant {
    requireString(config.id, 'tenant.id');
    requireString(config.domain, 'tenant.domain');
    const tenant: Tenant = {
      id: config.id.toLowerCase(),
      domain: config.domain.toLowerCase(),
      displayName: config.displayName ?? config.domain,
      userFlows: [...(config.userFlows ?? [])],
    };
    this.tenantList = [...this.tenantList.filter((t) => t.id !== tenant.id), tenant];
    return tenant;
  }

  /** Adds (or replaces, by username) a user. */
  addUser(config: UserConfig): User {
    requireString(config.username, 'user.username');
    requireString(config.password, 'user.password');
    const username = config.username.toLowerCase();
    const tenantId = (config.tenantId ?? this.defaultTenant.id).toLowerCase();
    if (!this.tenant(tenantId)) throw new Error(`user.tenantId: no tenant '${tenantId}' in the directory`);
    const user: User = {
      username,
      password: config.password,
      oid: (config.oid ?? guidFrom(`user:${username}`)).toLowerCase(),
      displayName: config.displayName ?? username.split('@')[0],
      givenName: config.givenName,
      surname: config.surname,
      jobTitle: config.jobTitle,
      tenantId,
      guestIn: (config.guestIn ?? []).map((t) => t.toLowerCase()),
      mfaEnrolled: config.mfaEnrolled ?? false,
      appRoles: config.appRoles ?? {},
      tokensValidAfter: 0,
    };
    this.userList = [...this.userList.filter((u) => u.username !== username && u.oid !== user.oid), user];
    return user;
  }

  /** Adds (or replaces, by client id) an application. */
  addApp(config: AppConfig, wellKnown = false): App {
    requireString(config.clientId, 'app.clientId');
    requireString(config.displayName, 'app.displayName');
    const app: App = {
      clientId: config.clientId.toLowerCase(),
      displayName: config.displayName,
      tenantId: (config.tenantId ?? this.defaultTenant.id).toLowerCase(),
      signInAudience: config.signInAudience ?? 'AzureADMyOrg',
      clientSecrets: [...(config.clientSecret ? [config.clientSecret] : []), ...(config.clientSecrets ?? [])],
      certificates: [...(config.certificates ?? [])],
      publicClient: config.publicClient ?? false,
      redirectUris: [...(config.redirectUris ?? [])],
      postLogoutRedirectUris: [...(config.postLogoutRedirectUris ?? [])],
      identifierUris: (config.identifierUris ?? []).map((u) => u.replace(/\/+$/, '')),
      scopes: [...(config.scopes ?? [])],
      appRoles: [...(config.appRoles ?? [])],
      applicationPermissions: [...(config.applicationPermissions ?? [])],
      adminConsentedScopes: [...(config.adminConsentedScopes ?? [])],
      accessTokenVersion: config.accessTokenVersion ?? 2,
      wellKnown,
    };
    this.appList = [...this.appList.filter((a) => a.clientId !== app.clientId), app];
    return app;
  }

  /** A tenant by id or domain (case-insensitive). */
  tenant(idOrDomain: string): Tenant | undefined {
    const key = idOrDomain.toLowerCase();
    return this.tenantList.find((t) => t.id === key || t.domain === key);
  }

  /** A user by username or object id (case-insensitive). */
  findUser(usernameOrOid: string): User | undefined {
    const key = usernameOrOid.toLowerCase();
    return this.userList.find((u) => u.username === key || u.oid === key);
  }

  /** An application by client id. */
  findApp(clientId: string): App | undefined {
    const key = clientId.toLowerCase();
    return this.appList.find((a) => a.clientId === key);
  }

  /** A resource (API) by identifier URI or client id; trailing slashes ignored. */
  findResource(uriOrClientId: string): App | undefined {
    const key = uriOrClientId.replace(/\/+$/, '').toLowerCase();
    return this.appList.find(
      (a) => a.clientId === key || a.identifierUris.some((u) => u.toLowerCase() === key),
    );
  }

  /** Whether the user may sign in to the tenant (home tenant or guest). */
  isMember(user: User, tenantId: string): boolean {
    return user.tenantId === tenantId || user.guestIn.includes(tenantId);
  }

  /**
   * Delegated scopes the user (or an administrator for everyone) granted the client, as lower-cased keys:
   * `openid`, `offline_access`…, or `<resourceClientId>/<scope>`.
   */
  grantedScopeKeys(user: User, clientId: string): Set<string> {
    const keys = new Set(this.grants.get(grantKey(user, clientId)) ?? []);
    const app = this.findApp(clientId);
    for (const scope of app?.adminConsentedScopes ?? []) {
      const key = this.scopeKey(scope);
      if (key) keys.add(key);
    }
    return keys;
  }

  /**
   * Records a user's consent to scopes for a client.
   *
   * @example
   * ```ts
   * emu.directory.grantConsent({ user: 'alice@contoso.onmicrosoft.com', clientId, scopes: ['User.Read'] });
   * ```
   */
  grantConsent(grant: GrantConfig): void {
    const user = this.requireUser(grant.user);
    const key = grantKey(user, grant.clientId);
    const keys = this.grants.get(key) ?? new Set<string>();
    for (const scope of grant.scopes) {
      const scopeKey = this.scopeKey(scope);
      if (!scopeKey) throw new Error(`grant.scopes: unknown scope '${scope}'`);
      keys.add(scopeKey);
    }
    this.grants.set(key, keys);
  }

  /** Withdraws a user's consent to the given scopes (all scopes when none given). */
  revokeConsent(grant: { user: string; clientId: string; scopes?: string[] }): void {
    const user = this.requireUser(grant.user);
    const key = grantKey(user, grant.clientId);
    if (!grant.scopes) {
      this.grants.delete(key);
      return;
    }
    const keys = this.grants.get(key);
    for (const scope of grant.scopes) {
      const scopeKey = this.scopeKey(scope);
      if (scopeKey) keys?.delete(scopeKey);
    }
  }

  /** Sets (or, with `requireMfa: false`, lifts) a conditional-access policy on a resource. */
  setConditionalAccess(policy: ConditionalAccessPolicy): void {
    const resource = this.findResource(policy.resource);
    if (!resource) throw new Error(`conditionalAccess.resource: unknown resource '${policy.resource}'`);
    this.policyList = this.policyList.filter(
      (p) => this.findResource(p.resource)?.clientId !== resource.clientId,
    );
    if (policy.requireMfa) this.policyList.push({ resource: policy.resource, requireMfa: true });
  }

  /** Whether tokens for the resource need an MFA sign-in. */
  requiresMfa(resource: App): boolean {
    return this.policyList.some(
      (p) => p.requireMfa && this.findResource(p.resource)?.clientId === resource.clientId,
    );
  }

  /** Revokes every refresh token and session of the user issued until now. */
  revokeUser(usernameOrOid: string): void {
    const user = this.requireUser(usernameOrOid);
    user.tokensValidAfter = Math.floor(Date.now() / 1000) + 1;
  }

  /** A user, or an error naming the missing one. */
  requireUser(usernameOrOid: string): User {
    const user = this.findUser(usernameOrOid);
    if (!user)
      throw new EntraError(
        'invalid_request',
        50034,
        `The user account '${usernameOrOid}' does not exist in the directory.`,
        { status: 404 },
      );
    return user;
  }

  /** The lower-cased grant key of a scope string, or undefined for an unknown scope. */
  scopeKey(scope: string): string | undefined {
    const lower = scope.toLowerCase();
    if (OIDC_SCOPES.includes(lower)) return lower;
    const slash = scope.lastIndexOf('/');
    const resource =
      slash < 0
        ? this.findResource(WELL_KNOWN_RESOURCES.graph.clientId)
        : this.findResource(scope.slice(0, slash));
    const name = slash < 0 ? scope : scope.slice(slash + 1);
    if (!resource) return undefined;
    return `${resource.clientId}/${name.toLowerCase()}`;
  }
}

function grantKey(user: User, clientId: string): string {
  return `${user.oid}|${clientId.toLowerCase()}`;
}

function requireString(value: unknown, path: string): void {
  if (typeof value !== 'string' || value.length === 0)
    throw new Error(`${path}: expected a non-empty string`);
}

/**
 * A stable GUID derived from a text (for generated object ids).
 *
 * @example
 * ```ts
 * guidFrom('user:dave@contoso.onmicrosoft.com'); // always the same GUID
 * ```
 */
export function guidFrom(text: string): string {
  const hex = createHash('sha256').update(text).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
