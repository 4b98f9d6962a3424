import type { App, User } from '../directory/directory.types';
import type { AppConfig, ConditionalAccessPolicy, UserConfig } from '../directory/directory.types';
import type { EmulatorRuntime } from '../emulator-runtime';
import type { SentMail } from '../graph/graph-mailbox';
import type { FaultSpec } from '../state/fault-injector';
import type { CounterSnapshot } from '../state/request-counters';

/**
 * Test controls of a running emulator (the same operations as the HTTP control API under
 * `/_emulator/`).
 *
 * @example
 * ```ts
 * emu.control.setConditionalAccess({ resource: 'https://graph.microsoft.com', requireMfa: true });
 * emu.control.injectFault({ endpoint: 'token', status: 503, retryAfterSeconds: 1, count: 1 });
 * ```
 */
export class EmulatorControl {
  constructor(private readonly runtime: EmulatorRuntime) {}

  /** Back to the configured directory; forgets consents, sessions, codes, tokens, faults, counters and mail. */
  reset(): void {
    this.runtime.resetState();
  }

  /** Adds (or replaces) a user. */
  addUser(user: UserConfig): User {
    return this.runtime.directory.addUser(user);
  }

  /** Adds (or replaces) an application. */
  addApp(app: AppConfig): App {
    return this.runtime.directory.addApp(app);
  }

  /** Requires (or, with `requireMfa: false`, stops requiring) MFA for tokens of a resource. */
  setConditionalAccess(policy: ConditionalAccessPolicy): void {
    this.runtime.directory.setConditionalAccess(policy);
  }

  /** Revokes the user's refresh tokens and SSO sessions issued so far (like "Revoke sessions"). */
  revokeUser(usernameOrOid: string): void {
    this.runtime.directory.revokeUser(usernameOrOid);
  }

  /** Records the user's consent to scopes (`User.Read`, `api://todo-api/access_as_user`) for a client. */
  grantConsent(user: string, clientId: string, scopes: string[]): void {
    this.runtime.directory.grantConsent({ user, clientId, scopes });
  }

  /** Withdraws the user's consent to the scopes (all when omitted) for a client. */
  revokeConsent(user: string, clientId: string, scopes?: string[]): void {
    this.runtime.directory.revokeConsent({ user, clientId, scopes });
  }

  /**
   * Makes the authorization codes and refresh tokens issued so far (only the user's, username or
   * object id, when given) `seconds` older, as if that time had passed unused: a code older than
   * 10 minutes then gets AADSTS70008, a refresh token unused for 90 days AADSTS700082.
   *
   * @example
   * ```ts
   * emu.control.ageGrants(91 * 24 * 3600, 'alice@contoso.onmicrosoft.com'); // refresh → AADSTS700082
   * ```
   */
  ageGrants(seconds: number, user?: string): void {
    if (!(Number.isFinite(seconds) && seconds > 0)) throw new Error('seconds: expected a positive number');
    const oid = user === undefined ? undefined : this.runtime.directory.requireUser(user).oid;
    this.runtime.issuedTokens.age(seconds, oid);
  }

  /** Makes the next `count` requests to an endpoint fail and/or slow down. */
  injectFault(fault: FaultSpec): void {
    this.runtime.faults.add(fault);
  }

  /** Drops faults not yet used. */
  clearFaults(): void {
    this.runtime.faults.clear();
  }

  /** Requests per endpoint and per grant type since start or the last reset. */
  counters(): CounterSnapshot {
    return this.runtime.counters.snapshot();
  }

  /** Zeroes the counters. */
  resetCounters(): void {
    this.runtime.counters.reset();
  }

  /** Mail sent through the Graph stand-in (optionally only by one user, username or object id). */
  sentMail(user?: string): SentMail[] {
    const key = user?.toLowerCase();
    return this.runtime.sentMail.filter((m) => key === undefined || m.from === key || m.fromOid === key);
  }
}
