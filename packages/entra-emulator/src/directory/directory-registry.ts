import { EntraError } from '../errors/entra-error';
import {
  DEFAULT_APPS,
  DEFAULT_TENANTS,
  DEFAULT_TENANT_ID,
  DEFAULT_USERS,
  WELL_KNOWN_RESOURCES,
} from './default-directory';
import type {
  App,
  AppConfig,
  DirectoryConfig,
  Tenant,
  TenantConfig,
  User,
  UserConfig,
} from './directory.types';
import { guidFrom } from './stable-guid';

/**
 * The directory's tenants, users and applications, looked up by id, name or URI.
 *
 * @example
 * ```ts
 * const registry = new DirectoryRegistry();
 * registry.load({ users: [{ username: 'dave@contoso.onmicrosoft.com', password: 'pw' }] });
 * registry.findUser('dave@contoso.onmicrosoft.com');
 * ```
 */
export class DirectoryRegistry {
  private tenantList: Tenant[] = [];
  private userList: User[] = [];
  private appList: App[] = [];

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

  /** Starts again from the configured tenants, apps and users (over the defaults, unless replaced). */
  load(config: DirectoryConfig): void {
    const defaults = !config.replaceDefaults;
    this.tenantList = [];
    this.userList = [];
    this.appList = [];
    for (const tenant of [...(defaults ? Object.values(DEFAULT_TENANTS) : []), ...(config.tenants ?? [])]) {
      this.addTenant(tenant);
    }
    for (const app of Object.values(WELL_KNOWN_RESOURCES)) this.addApp(app, true);
    for (const app of [...(defaults ? Object.values(DEFAULT_APPS) : []), ...(config.apps ?? [])])
      this.addApp(app);
    for (const user of [...(defaults ? Object.values(DEFAULT_USERS) : []), ...(config.users ?? [])]) {
      this.addUser(user);
    }
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
      mfaRegistered: config.mfaRegistered ?? true,
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
      // As in Entra: an API that never set accessTokenAcceptedVersion receives v1 tokens.
      accessTokenVersion: config.accessTokenVersion ?? 1,
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

  /** Revokes every refresh token and session of the user issued until now. */
  revokeUser(usernameOrOid: string): void {
    const user = this.requireUser(usernameOrOid);
    user.tokensValidAfter = Math.floor(Date.now() / 1000) + 1;
  }
}

function requireString(value: unknown, path: string): void {
  if (typeof value !== 'string' || value.length === 0)
    throw new Error(`${path}: expected a non-empty string`);
}
