import type { DirectoryRegistry } from './directory-registry';
import { guidFrom } from './stable-guid';
import type { App, ConditionalAccessPolicy } from './directory.types';

/**
 * Conditional-access policies: which resources need a sign-in that performed MFA.
 *
 * @example
 * ```ts
 * policies.set({ resource: 'https://graph.microsoft.com', requireMfa: true });
 * policies.requiresMfa(graph); // true
 * ```
 */
export class ConditionalAccess {
  private policyList: ConditionalAccessPolicy[] = [];

  constructor(private readonly registry: DirectoryRegistry) {}

  /** Policies in force. */
  get policies(): readonly ConditionalAccessPolicy[] {
    return this.policyList;
  }

  /** Sets (or, with `requireMfa: false`, lifts) the policy on a resource. */
  set(policy: ConditionalAccessPolicy): void {
    const resource = this.registry.findResource(policy.resource);
    if (!resource) throw new Error(`conditionalAccess.resource: unknown resource '${policy.resource}'`);
    this.policyList = this.policyList.filter(
      (p) => this.registry.findResource(p.resource)?.clientId !== resource.clientId,
    );
    if (policy.requireMfa) this.policyList.push({ resource: policy.resource, requireMfa: true });
  }

  /** Whether tokens for the resource need an MFA sign-in. */
  requiresMfa(resource: App): boolean {
    return this.policyList.some(
      (p) => p.requireMfa && this.registry.findResource(p.resource)?.clientId === resource.clientId,
    );
  }

  clear(): void {
    this.policyList = [];
  }
}

/**
 * The claims challenge Entra attaches to AADSTS50076 (and Graph to its CAE 401): the id (a GUID)
 * of the conditional-access policy a new sign-in must satisfy.
 *
 * @example
 * ```ts
 * throw new EntraError('invalid_grant', 50076, '…', { suberror: 'basic_action', claims: mfaClaimsChallenge(id) });
 * ```
 */
export function mfaClaimsChallenge(resourceId: string): string {
  return JSON.stringify({
    access_token: { capolids: { essential: true, values: [conditionalAccessPolicyId(resourceId)] } },
  });
}

/**
 * The stable id (a GUID, as Entra's policy ids are) of the MFA policy on a resource.
 *
 * @example
 * ```ts
 * conditionalAccessPolicyId(GRAPH_APP_ID); // '…-4…-a…-…'
 * ```
 */
export function conditionalAccessPolicyId(resourceId: string): string {
  return guidFrom(`conditional-access:mfa:${resourceId.toLowerCase()}`);
}
