import { WELL_KNOWN_RESOURCES } from './default-directory';
import type { DirectoryRegistry } from './directory-registry';
import type { ConsentConfig, User } from './directory.types';
import { OIDC_SCOPES, type ResourceScope } from './scope-request';

/**
 * Who consented to what: the delegated scopes each user granted each client, and those an
 * administrator granted for everyone (the client's `adminConsentedScopes`). Scopes are held as
 * lower-cased keys: `openid`, `offline_access`…, or `<resourceClientId>/<scope>`.
 *
 * @example
 * ```ts
 * consents.grant({ user: 'alice@contoso.onmicrosoft.com', clientId, scopes: ['User.Read'] });
 * consents.scopeKeys(alice, clientId); // Set { '00000003-…/user.read' }
 * ```
 */
export class ConsentStore {
  /** `${oid}|${clientId}` → scope keys. */
  private readonly consents = new Map<string, Set<string>>();

  constructor(private readonly registry: DirectoryRegistry) {}

  /** The scope keys the user (or an administrator for everyone) granted the client. */
  scopeKeys(user: User, clientId: string): Set<string> {
    const keys = new Set(this.consents.get(consentKey(user, clientId)) ?? []);
    const app = this.registry.findApp(clientId);
    for (const scope of app?.adminConsentedScopes ?? []) {
      const key = this.scopeKey(scope);
      if (key) keys.add(key);
    }
    return keys;
  }

  /** Records a user's consent to scopes for a client; an unknown scope fails naming it. */
  grant(consent: ConsentConfig): void {
    const user = this.registry.requireUser(consent.user);
    const key = consentKey(user, consent.clientId);
    const keys = this.consents.get(key) ?? new Set<string>();
    for (const scope of consent.scopes) {
      const scopeKey = this.scopeKey(scope);
      if (!scopeKey) throw new Error(`consent.scopes: unknown scope '${scope}'`);
      keys.add(scopeKey);
    }
    this.consents.set(key, keys);
  }

  /** Withdraws a user's consent to the given scopes (all scopes when none given). */
  revoke(consent: { user: string; clientId: string; scopes?: string[] }): void {
    const user = this.registry.requireUser(consent.user);
    const key = consentKey(user, consent.clientId);
    if (!consent.scopes) {
      this.consents.delete(key);
      return;
    }
    const keys = this.consents.get(key);
    for (const scope of consent.scopes) {
      const scopeKey = this.scopeKey(scope);
      if (scopeKey) keys?.delete(scopeKey);
    }
  }

  clear(): void {
    this.consents.clear();
  }

  /** The scope key of a scope string (bare names are Graph's), or undefined for an unknown scope. */
  scopeKey(scope: string): string | undefined {
    const lower = scope.toLowerCase();
    if (OIDC_SCOPES.includes(lower)) return lower;
    const slash = scope.lastIndexOf('/');
    const resource =
      slash < 0
        ? this.registry.findResource(WELL_KNOWN_RESOURCES.graph.clientId)
        : this.registry.findResource(scope.slice(0, slash));
    const name = slash < 0 ? scope : scope.slice(slash + 1);
    if (!resource) return undefined;
    return scopeConsentKey({ resource, name });
  }
}

/**
 * The consent key of a resource scope: `<resourceClientId>/<lower-cased scope name>`.
 *
 * @example
 * ```ts
 * directory.grantedScopeKeys(user, clientId).has(scopeConsentKey({ resource: graph, name: 'User.Read' }));
 * ```
 */
export function scopeConsentKey(scope: ResourceScope): string {
  return `${scope.resource.clientId}/${scope.name.toLowerCase()}`;
}

function consentKey(user: User, clientId: string): string {
  return `${user.oid}|${clientId.toLowerCase()}`;
}
