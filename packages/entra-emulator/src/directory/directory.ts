import { ConditionalAccess } from './conditional-access';
import { ConsentStore } from './consent-store';
import { DirectoryRegistry } from './directory-registry';
import type {
  App,
  AppConfig,
  ConditionalAccessPolicy,
  DirectoryConfig,
  ConsentConfig,
  Tenant,
  TenantConfig,
  User,
  UserConfig,
} from './directory.types';

/**
 * The tenants, users, applications, consents and conditional-access policies the emulator
 * serves. A live view: changes through the control API show here at once.
 *
 * @example
 * ```ts
 * const alice = emu.directory.findUser('alice@contoso.onmicrosoft.com');
 * ```
 */
export class Directory {
  private readonly registry = new DirectoryRegistry();
  private readonly consents = new ConsentStore(this.registry);
  private readonly policies = new ConditionalAccess(this.registry);

  constructor(private readonly config: DirectoryConfig = {}) {
    this.reset();
  }

  /** Tenants, in configuration order. */
  get tenants(): readonly Tenant[] {
    return this.registry.tenants;
  }
  /** Users, in configuration order. */
  get users(): readonly User[] {
    return this.registry.users;
  }
  /** Applications, including the well-known Microsoft resources. */
  get apps(): readonly App[] {
    return this.registry.apps;
  }
  /** Conditional-access policies in force. */
  get conditionalAccess(): readonly ConditionalAccessPolicy[] {
    return this.policies.policies;
  }
  /** The tenant served when a request names none (the first one configured). */
  get defaultTenant(): Tenant {
    return this.registry.defaultTenant;
  }

  /** Back to the configured directory: drops added users/apps, consents, policies and revocations. */
  reset(): void {
    this.consents.clear();
    this.policies.clear();
    this.registry.load(this.config);
    for (const consent of [...(this.config.grants ?? []), ...(this.config.consents ?? [])])
      this.consents.grant(consent);
    for (const policy of this.config.conditionalAccess ?? []) this.policies.set(policy);
  }

  /** Adds (or replaces, by id) a tenant. */
  addTenant(config: TenantConfig): Tenant {
    return this.registry.addTenant(config);
  }

  /** Adds (or replaces, by username) a user. */
  addUser(config: UserConfig): User {
    return this.registry.addUser(config);
  }

  /** Adds (or replaces, by client id) an application. */
  addApp(config: AppConfig, wellKnown = false): App {
    return this.registry.addApp(config, wellKnown);
  }

  /** A tenant by id or domain (case-insensitive). */
  tenant(idOrDomain: string): Tenant | undefined {
    return this.registry.tenant(idOrDomain);
  }

  /** A user by username or object id (case-insensitive). */
  findUser(usernameOrOid: string): User | undefined {
    return this.registry.findUser(usernameOrOid);
  }

  /** An application by client id. */
  findApp(clientId: string): App | undefined {
    return this.registry.findApp(clientId);
  }

  /** A resource (API) by identifier URI or client id; trailing slashes ignored. */
  findResource(uriOrClientId: string): App | undefined {
    return this.registry.findResource(uriOrClientId);
  }

  /** Whether the user may sign in to the tenant (home tenant or guest). */
  isMember(user: User, tenantId: string): boolean {
    return this.registry.isMember(user, tenantId);
  }

  /**
   * Delegated scopes the user (or an administrator for everyone) granted the client, as lower-cased keys:
   * `openid`, `offline_access`…, or `<resourceClientId>/<scope>`.
   */
  grantedScopeKeys(user: User, clientId: string): Set<string> {
    return this.consents.scopeKeys(user, clientId);
  }

  /**
   * Records a user's consent to scopes for a client.
   *
   * @example
   * ```ts
   * emu.directory.grantConsent({ user: 'alice@contoso.onmicrosoft.com', clientId, scopes: ['User.Read'] });
   * ```
   */
  grantConsent(consent: ConsentConfig): void {
    this.consents.grant(consent);
  }

  /** Withdraws a user's consent to the given scopes (all scopes when none given). */
  revokeConsent(consent: { user: string; clientId: string; scopes?: string[] }): void {
    this.consents.revoke(consent);
  }

  /** Sets (or, with `requireMfa: false`, lifts) a conditional-access policy on a resource. */
  setConditionalAccess(policy: ConditionalAccessPolicy): void {
    this.policies.set(policy);
  }

  /** Whether tokens for the resource need an MFA sign-in. */
  requiresMfa(resource: App): boolean {
    return this.policies.requiresMfa(resource);
  }

  /** Revokes every refresh token and session of the user issued until now. */
  revokeUser(usernameOrOid: string): void {
    this.registry.revokeUser(usernameOrOid);
  }

  /** A user, or an error naming the missing one. */
  requireUser(usernameOrOid: string): User {
    return this.registry.requireUser(usernameOrOid);
  }

  /** The lower-cased consent key of a scope string, or undefined for an unknown scope. */
  scopeKey(scope: string): string | undefined {
    return this.consents.scopeKey(scope);
  }
}
