import { Client, type GraphError } from '@microsoft/microsoft-graph-client';
import { CookieJar } from 'tough-cookie';

import { DEFAULT_USERS, GRAPH_RESOURCE, SEEDED_MESSAGE_COUNT } from '../src/index';
import { useEmulator } from '../src/testing';
import { VerifyingClient, webAppClient } from './support/msal-clients';
import { signInAndRedeem } from './support/msal-sign-in';

const { alice } = DEFAULT_USERS;

describe('Microsoft Graph stand-in (Graph JS client)', () => {
  const emu = useEmulator({ resetBeforeEach: false });
  let cca: VerifyingClient;
  let userToken: string;
  let idTokenSubject: string;

  beforeAll(async () => {
    cca = webAppClient(emu());
    const tokens = await signInAndRedeem(
      cca,
      new CookieJar(),
      ['User.Read', 'Mail.Read', 'Mail.Send'],
      alice,
    );
    userToken = tokens.accessToken;
    idTokenSubject = (tokens.idTokenClaims as { sub: string }).sub;
  });

  function graph(token: string) {
    // The Graph client sends the bearer only to https Graph hosts or customHosts (bare host names).
    return Client.initWithMiddleware({
      authProvider: { getAccessToken: async () => token },
      baseUrl: emu().baseUrl,
      customHosts: new Set(['localhost']),
    });
  }

  it('returns the signed-in user from /me, with $select', async () => {
    const me = await graph(userToken).api('/me').get();
    expect(me).toMatchObject({
      id: alice.oid,
      displayName: alice.displayName,
      userPrincipalName: alice.username,
    });
    const selected = await graph(userToken).api('/me').select('displayName').get();
    expect(Object.keys(selected).sort()).toEqual(['@odata.context', 'displayName', 'id']);
  });

  it("serves userinfo for a Graph token, with the ID token's pairwise sub", async () => {
    const res = await fetch(`${emu().baseUrl}/oidc/userinfo`, {
      headers: { authorization: `Bearer ${userToken}` },
    });
    const info = (await res.json()) as Record<string, string>;
    expect(info).toMatchObject({ sub: idTokenSubject, name: alice.displayName, email: alice.username });
    expect(info.sub).not.toBe(alice.oid);
  });

  it('lists the OIDC scopes in a Graph token requested for them alone (the userinfo token)', async () => {
    const tokens = await signInAndRedeem(
      webAppClient(emu()),
      new CookieJar(),
      ['openid', 'profile', 'email'],
      alice,
    );
    const claims = JSON.parse(Buffer.from(tokens.accessToken.split('.')[1], 'base64url').toString()) as {
      scp: string;
    };
    expect(claims.scp.split(' ')).toEqual(expect.arrayContaining(['openid', 'profile', 'email']));
    const info = await fetch(`${emu().baseUrl}/oidc/userinfo`, {
      headers: { authorization: `Bearer ${tokens.accessToken}` },
    });
    expect(info.status).toBe(200);
  });

  it('pages through the seeded messages with $top and @odata.nextLink, the same on every call', async () => {
    const client = graph(userToken);
    const seen: string[] = [];
    let page = await client.api('/me/messages').top(10).select('subject').get();
    seen.push(...page.value.map((m: { id: string }) => m.id));
    while (page['@odata.nextLink']) {
      page = await client.api(page['@odata.nextLink']).get();
      seen.push(...page.value.map((m: { id: string }) => m.id));
    }
    expect(seen).toHaveLength(SEEDED_MESSAGE_COUNT);
    expect(new Set(seen).size).toBe(SEEDED_MESSAGE_COUNT);
    const again = await client.api('/me/messages').top(3).get();
    expect(again.value.map((m: { id: string }) => m.id)).toEqual(seen.slice(0, 3));
    expect(again.value[0]).toHaveProperty('subject');
  });

  it('accepts sendMail with 202 and keeps the message for the test to read back', async () => {
    emu().control.reset();
    await graph(userToken)
      .api('/me/sendMail')
      .post({
        message: {
          subject: 'Hi',
          body: { contentType: 'Text', content: 'x' },
          toRecipients: [{ emailAddress: { address: 'bob@contoso.onmicrosoft.com' } }],
        },
      });
    expect(emu().control.sentMail(alice.username)).toMatchObject([
      { from: alice.username, message: { subject: 'Hi' } },
    ]);
  });

  it('refuses app-only tokens on /me endpoints with 400, as Graph does', async () => {
    const app = await cca.acquireTokenByClientCredential({ scopes: [`${GRAPH_RESOURCE}/.default`] });
    const err = (await graph(app!.accessToken)
      .api('/me/messages')
      .get()
      .catch((e: unknown) => e)) as GraphError;
    expect(err).toMatchObject({ statusCode: 400, code: 'BadRequest' });

    const noMail = await fetch(`${emu().baseUrl}/v1.0/me/sendMail`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${(await cca.acquireTokenByClientCredential({ scopes: [`${GRAPH_RESOURCE}/.default`] }))!.accessToken}`,
      },
      body: '{}',
    });
    expect(noMail.status).toBe(400);
  });

  it('answers 403 for a delegated token lacking the scope, and 401 for a bad or missing token', async () => {
    emu().control.reset();
    const jar = new CookieJar();
    const limited = await signInAndRedeem(cca, jar, ['User.Read'], alice);
    const forbidden = (await graph(limited.accessToken)
      .api('/me/messages')
      .get()
      .catch((e: unknown) => e)) as GraphError;
    expect(forbidden).toMatchObject({ statusCode: 403, code: 'ErrorAccessDenied' });

    const res = await fetch(`${emu().baseUrl}/v1.0/me`, {
      headers: { authorization: `Bearer ${limited.accessToken}x` },
    });
    expect(res.status).toBe(401);
    const body = (await res.json()) as { error: { code: string; innerError: Record<string, string> } };
    expect(body.error.code).toBe('InvalidAuthenticationToken');
    expect(body.error.innerError['request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect((await fetch(`${emu().baseUrl}/v1.0/me`)).status).toBe(401);
  });

  describe('continuous access evaluation: only for clients that declare cp1, as Graph does', () => {
    let caeToken: string;
    beforeAll(async () => {
      const tokens = await signInAndRedeem(
        webAppClient(emu(), { clientCapabilities: ['cp1'] }),
        new CookieJar(),
        ['User.Read'],
        alice,
      );
      caeToken = tokens.accessToken;
    });
    const me = (token: string) =>
      fetch(`${emu().baseUrl}/v1.0/me`, { headers: { authorization: `Bearer ${token}` } });
    const challengeClaims = (header: string) =>
      JSON.parse(Buffer.from(/claims="([^"]+)"/.exec(header)![1], 'base64').toString()) as {
        access_token: Record<string, { essential: boolean; value?: string; values?: string[] }>;
      };

    it("answers a 401 without a token with Graph's WWW-Authenticate", async () => {
      const res = await fetch(`${emu().baseUrl}/v1.0/me`);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe(
        `Bearer realm="", authorization_uri="${emu().baseUrl}/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"`,
      );
    });

    it('challenges a cp1 token without MFA once a policy needs it (capolids: a GUID), and lets others through', async () => {
      emu().control.setConditionalAccess({ resource: GRAPH_RESOURCE, requireMfa: true });
      try {
        const challenged = await me(caeToken);
        expect(challenged.status).toBe(401);
        const header = challenged.headers.get('www-authenticate') ?? '';
        expect(header).toContain('error="insufficient_claims"');
        const policyIds = challengeClaims(header).access_token.capolids.values!;
        expect(policyIds[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
        // No cp1: the policy waits for the next token request, as conditional access does.
        expect((await me(userToken)).status).toBe(200);
      } finally {
        emu().control.setConditionalAccess({ resource: GRAPH_RESOURCE, requireMfa: false });
      }
    });

    it("answers a revoked user's cp1 token with a CAE challenge, and other tokens with a plain 401", async () => {
      emu().control.revokeUser(alice.username);
      try {
        const challenged = await me(caeToken);
        expect(challenged.status).toBe(401);
        const header = challenged.headers.get('www-authenticate') ?? '';
        expect(header).toContain('error="insufficient_claims"');
        expect(challengeClaims(header).access_token.nbf).toMatchObject({ essential: true });
        const plain = await me(userToken);
        expect(plain.status).toBe(401);
        expect(plain.headers.get('www-authenticate')).not.toContain('error=');
      } finally {
        emu().control.reset();
      }
    });
  });
});
