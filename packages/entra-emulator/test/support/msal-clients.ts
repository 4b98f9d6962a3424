import {
  ConfidentialClientApplication,
  type AuthenticationResult,
  type AuthorizationCodePayload,
  type AuthorizationCodeRequest,
  type ClientCredentialRequest,
  type Configuration,
  type OnBehalfOfRequest,
  type SilentFlowRequest,
} from '@azure/msal-node';

import { DEFAULT_APPS, type RunningEmulator } from '../../src/index';
import { verifyAuthenticationResult } from './verify-token';

/** MSAL options a test may set; the authority defaults to the emulator's tenant. */
export interface TestClientOptions {
  clientId: string;
  clientSecret?: string;
  clientCertificate?: NonNullable<Configuration['auth']>['clientCertificate'];
  authority?: string;
  clientCapabilities?: string[];
  /** The tenant the tokens come from, when not the emulator's default. */
  tenantId?: string;
}

/**
 * A real MSAL `ConfidentialClientApplication` whose token calls check, with jose, every token they
 * return against the emulator's JWKS (signature, issuer, audience, version), so no test can pass
 * on a token a real app would reject.
 */
export class VerifyingClient extends ConfidentialClientApplication {
  constructor(
    private readonly emu: RunningEmulator,
    private readonly options: TestClientOptions,
  ) {
    super({
      auth: {
        clientId: options.clientId,
        clientSecret: options.clientSecret,
        clientCertificate: options.clientCertificate,
        authority: options.authority ?? emu.authority,
        knownAuthorities: [emu.host],
        clientCapabilities: options.clientCapabilities,
      },
    });
  }

  override async acquireTokenByCode(
    request: AuthorizationCodeRequest,
    payload?: AuthorizationCodePayload,
  ): Promise<AuthenticationResult> {
    return this.verified(await super.acquireTokenByCode(request, payload), request.scopes);
  }

  override async acquireTokenSilent(request: SilentFlowRequest): Promise<AuthenticationResult> {
    return this.verified(await super.acquireTokenSilent(request), request.scopes);
  }

  override async acquireTokenByClientCredential(
    request: ClientCredentialRequest,
  ): Promise<AuthenticationResult | null> {
    return this.verified(await super.acquireTokenByClientCredential(request), request.scopes ?? []);
  }

  override async acquireTokenOnBehalfOf(request: OnBehalfOfRequest): Promise<AuthenticationResult | null> {
    return this.verified(await super.acquireTokenOnBehalfOf(request), request.scopes);
  }

  private async verified<T extends AuthenticationResult | null>(result: T, scopes: string[]): Promise<T> {
    await verifyAuthenticationResult(this.emu, result, {
      clientId: this.options.clientId,
      scopes,
      tenantId: this.options.tenantId,
      userFlow: /\/b2c_1a?_/i.test(this.options.authority ?? ''),
    });
    return result;
  }
}

/**
 * A {@link VerifyingClient} for a confidential app of the directory (its id and secret); `options`
 * adds to or overrides them (authority, client capabilities, another secret).
 *
 * @example
 * ```ts
 * const api = appClient(emu, DEFAULT_APPS.todoApi);
 * ```
 */
export function appClient(
  emu: RunningEmulator,
  app: { clientId: string; clientSecret: string },
  options: Partial<TestClientOptions> = {},
): VerifyingClient {
  return new VerifyingClient(emu, { clientId: app.clientId, clientSecret: app.clientSecret, ...options });
}

/**
 * A {@link VerifyingClient} for the directory's default web app ({@link DEFAULT_APPS}.webApp).
 *
 * @example
 * ```ts
 * const cca = webAppClient(emu, { authority: `${emu.baseUrl}/organizations` });
 * ```
 */
export function webAppClient(
  emu: RunningEmulator,
  options: Partial<TestClientOptions> = {},
): VerifyingClient {
  return appClient(emu, DEFAULT_APPS.webApp, options);
}
