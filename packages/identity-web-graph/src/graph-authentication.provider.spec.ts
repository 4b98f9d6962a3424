import { GraphClientError, type Context, type Middleware } from '@microsoft/microsoft-graph-client';
import { ChallengeUserException } from 'nest-identity-web';
import { RecordingTokenAcquisition, SIGNED_IN_USER as USER } from 'nest-identity-web/testing';
import { ClaimsChallengeHandler } from './claims-challenge.handler';
import { GraphAuthenticationProvider } from './graph-authentication.provider';
import type { IdentityWebGraphOptions } from './graph.options';
import { unwrapCarriedError } from './identity-error.carrier';

const CLAIMS = '{"access_token":{"nbf":{"essential":true,"value":"1700000000"}}}';

function graphOptions(overrides: Partial<IdentityWebGraphOptions> = {}): IdentityWebGraphOptions {
  return {
    baseUrl: 'https://graph.microsoft.com',
    version: 'v1.0',
    scopes: ['User.Read'],
    requestAppToken: false,
    appScope: 'https://graph.microsoft.com/.default',
    customHosts: new Set(),
    timeoutMs: 30_000,
    ...overrides,
  };
}

describe('GraphAuthenticationProvider', () => {
  it("gets the user's token for the module's scopes, handing them on without a copy", async () => {
    const tokens = new RecordingTokenAcquisition();
    const options = graphOptions();
    const provider = new GraphAuthenticationProvider(tokens, options);
    await expect(provider.getAccessToken()).resolves.toBe('user-token');
    expect(tokens.calls).toMatchObject([
      { kind: 'user', scopes: ['User.Read'], options: { user: undefined } },
    ]);
    expect(tokens.calls[0].scopes).toBe(options.scopes);
  });

  it("passes a request's scopes, user and token options on for a user token", async () => {
    const tokens = new RecordingTokenAcquisition();
    const provider = new GraphAuthenticationProvider(tokens, graphOptions());
    await provider.getAccessToken({
      scopes: ['Mail.Read'],
      user: USER,
      acquireTokenOptions: { tenant: 'guest' },
    });
    expect(tokens.calls).toEqual([
      { kind: 'user', scopes: ['Mail.Read'], options: { tenant: 'guest', user: USER } },
    ]);
  });

  it("gets the app's token for the module's appScope, with claims, tenant, forceRefresh and correlationId", async () => {
    const tokens = new RecordingTokenAcquisition();
    const provider = new GraphAuthenticationProvider(tokens, graphOptions({ requestAppToken: true }));
    const acquireTokenOptions = { claims: CLAIMS, tenant: 'guest', forceRefresh: true, correlationId: 'c-1' };
    await expect(provider.getAccessToken({ acquireTokenOptions })).resolves.toBe('app-token');
    await provider.getAccessToken({ scopes: ['https://graph.microsoft.us/.default'], user: USER });
    expect(tokens.calls).toEqual([
      { kind: 'app', scopes: 'https://graph.microsoft.com/.default', options: acquireTokenOptions },
      { kind: 'app', scopes: 'https://graph.microsoft.us/.default', options: undefined },
    ]);
  });

  it('refuses an app token for delegated scopes, carrying the invalid_call error through the Graph client', async () => {
    const tokens = new RecordingTokenAcquisition();
    const provider = new GraphAuthenticationProvider(tokens, graphOptions());
    const error = await provider
      .getAccessToken({ requestAppToken: true, scopes: ['User.Read.All'] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphClientError);
    expect(unwrapCarriedError(error)).toMatchObject({ name: 'InvalidCallError', code: 'invalid_call' });
    expect(tokens.calls).toEqual([]);
  });

  it('carries a ChallengeUserException through unchanged as the cause', async () => {
    const tokens = new RecordingTokenAcquisition();
    const challenge = new ChallengeUserException(['Mail.Read'], 'consent required', {
      msalErrorCode: 'consent_required',
    });
    tokens.userError = challenge;
    const provider = new GraphAuthenticationProvider(tokens, graphOptions());
    expect(unwrapCarriedError(await provider.getAccessToken().catch((e: unknown) => e))).toBe(challenge);
  });
});

describe('ClaimsChallengeHandler', () => {
  /** Answers 401 with a claims challenge the first time, then 200; records the Authorization sent. */
  class ChallengingGraph implements Middleware {
    readonly authorizations: string[] = [];
    async execute(context: Context): Promise<void> {
      this.authorizations.push((context.options?.headers as Record<string, string>).Authorization);
      const challenge = `Bearer realm="", error="insufficient_claims", claims="${Buffer.from(CLAIMS).toString('base64')}"`;
      context.response =
        this.authorizations.length === 1
          ? new Response(null, { status: 401, headers: { 'WWW-Authenticate': challenge } })
          : new Response('{}', { status: 200 });
    }
  }

  it('answers a claims challenge to an app-token request with a new app token carrying the claims', async () => {
    const tokens = new RecordingTokenAcquisition();
    const provider = new GraphAuthenticationProvider(tokens, graphOptions({ requestAppToken: true }));
    const handler = new ClaimsChallengeHandler(provider);
    const graph = new ChallengingGraph();
    handler.setNext(graph);
    const context: Context = {
      request: 'https://graph.microsoft.com/v1.0/users',
      options: { method: 'GET', headers: { Authorization: 'Bearer app-0' } },
    };
    await handler.execute(context);
    expect(context.response?.status).toBe(200);
    expect(graph.authorizations).toEqual(['Bearer app-0', 'Bearer app-token']);
    expect(tokens.calls).toEqual([
      {
        kind: 'app',
        scopes: 'https://graph.microsoft.com/.default',
        options: { claims: CLAIMS, forceRefresh: true },
      },
    ]);
  });
});
