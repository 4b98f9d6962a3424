import {
  DEFAULT_APPS,
  DEFAULT_USERS,
  GRAPH_RESOURCE,
  SEEDED_MESSAGE_COUNT,
  startEmulator,
  type RunningEmulator,
} from 'entra-emulator';
import { navigate, signInOverHttp, type HttpSignInResult } from 'entra-emulator/testing';
import { startGraphTestApp, type GraphTestApp } from './support/graph-test.app';

const webApp = DEFAULT_APPS.webApp.clientId;
const alice = DEFAULT_USERS.alice;

describe('the injected GraphServiceClient against the emulator', () => {
  let emulator: RunningEmulator;
  let userApp: GraphTestApp;
  let appTokenApp: GraphTestApp;

  beforeAll(async () => {
    emulator = await startEmulator({
      port: 0,
      controlApi: true,
      // The web app may read users with its own identity (an admin-consented application permission).
      directory: {
        apps: [
          {
            ...DEFAULT_APPS.webApp,
            applicationPermissions: [
              ...DEFAULT_APPS.webApp.applicationPermissions,
              `${GRAPH_RESOURCE}/User.Read.All`,
            ],
          },
        ],
      },
    });
    userApp = await startGraphTestApp(emulator);
    appTokenApp = await startGraphTestApp(emulator, { requestAppToken: true });
  });

  afterAll(async () => {
    await userApp?.close();
    await appTokenApp?.close();
    await emulator?.close();
  });

  describe('for the signed-in user', () => {
    let jar: HttpSignInResult['jar'];

    beforeAll(async () => {
      emulator.control.grantConsent(alice.username, webApp, ['User.Read']);
      const signedIn = await signInOverHttp(userApp.baseUrl, alice, { returnUrl: '/graph/me' });
      expect(signedIn.returnedTo).toBe('/graph/me');
      jar = signedIn.jar;
    });

    /** A script's GET as alice: her cookies, JSON accepted, redirects not followed. */
    async function get(path: string): Promise<{ status: number; body: unknown }> {
      const url = `${userApp.baseUrl}${path}`;
      const cookie = await jar.getCookieString(url);
      const response = await fetch(url, {
        redirect: 'manual',
        headers: { accept: 'application/json', cookie },
      });
      return { status: response.status, body: await response.json() };
    }

    /** Goes through a challenge URL on the emulator's pages with alice's cookies (SSO included). */
    function roundTrip(challengeUrl: string): Promise<HttpSignInResult> {
      return signInOverHttp(userApp.baseUrl, alice, { jar, startAt: challengeUrl });
    }

    it("reads the user's profile with graph.api('/me').get()", async () => {
      const response = await get('/graph/me');
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ userPrincipalName: alice.username });
    });

    it('turns missing consent to Mail.Read into the consent round trip, then reads $top messages', async () => {
      // fetch callers get 401 JSON saying where to send the user...
      const asFetch = await get('/graph/messages?top=3');
      expect(asFetch.status).toBe(401);
      const body = asFetch.body as { error: string; challengeUrl: string; scopes: string[] };
      expect(body.error).toBe('interaction_required');
      expect(body.scopes).toContain('Mail.Read');
      const challenge = new URL(body.challengeUrl, userApp.baseUrl);
      expect(challenge.pathname).toBe('/account/challenge');
      expect(challenge.searchParams.get('returnUrl')).toBe('/graph/messages?top=3');

      // ...page navigations are redirected to the same challenge.
      const asPage = await navigate(`${userApp.baseUrl}/graph/messages?top=3`, { jar });
      expect(asPage.status).toBe(302);
      expect(asPage.location).toBe(body.challengeUrl);

      // The user consents on the emulator's page and lands back where they were.
      const back = await roundTrip(body.challengeUrl);
      expect(back).toMatchObject({ pages: ['consent'], returnedTo: '/graph/messages?top=3' });
      expect(back.consentScopes).toContain('Mail.Read');
      const messages = await get('/graph/messages?top=3');
      expect(messages.status).toBe(200);
      const page = messages.body as { value: Array<Record<string, unknown>>; '@odata.nextLink'?: string };
      expect(page.value).toHaveLength(3);
      expect(Object.keys(page.value[0]).sort()).toEqual(['id', 'subject']);
      expect(page['@odata.nextLink']).toContain('%24skip=3');
    });

    it('follows @odata.nextLink pages with the bearer token (the host is a custom host)', async () => {
      emulator.control.grantConsent(alice.username, webApp, ['Mail.Read']);
      const response = await get('/graph/messages/all');
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ count: SEEDED_MESSAGE_COUNT });
    });

    it('answers a Graph claims challenge with a new token, and sends the user through MFA when it needs them', async () => {
      // A token Graph accepts now is cached...
      expect((await get('/graph/me')).status).toBe(200);
      // ...and refused a moment later with a claims challenge (continuous access evaluation).
      emulator.control.setConditionalAccess({ resource: GRAPH_RESOURCE, requireMfa: true });
      try {
        const refreshesBefore = emulator.control.counters().grantTypes.refresh_token ?? 0;
        const response = await get('/graph/me');
        expect(response.status).toBe(401);
        const { challengeUrl } = response.body as { challengeUrl: string };
        // The handler asked for a token with the claims (one refresh, refused: MFA needs the user)...
        expect(emulator.control.counters().grantTypes.refresh_token).toBe(refreshesBefore + 1);
        // ...and the round trip carries them to the emulator.
        const claims = new URL(challengeUrl, userApp.baseUrl).searchParams.get('claims');
        expect(JSON.parse(claims ?? '{}')).toHaveProperty('access_token');

        // alice passes MFA on the emulator's page and lands back on the profile.
        const back = await roundTrip(challengeUrl);
        expect(back).toMatchObject({ pages: ['mfa'], returnedTo: '/graph/me' });
        const me = await get('/graph/me');
        expect(me.status).toBe(200);
        expect(me.body).toMatchObject({ userPrincipalName: alice.username });
      } finally {
        emulator.control.setConditionalAccess({ resource: GRAPH_RESOURCE, requireMfa: false });
      }
    });
  });

  describe('with requestAppToken', () => {
    const bobPath = `/graph/users/${encodeURIComponent(DEFAULT_USERS.bob.username)}`;
    const anonymousGet = async (path: string) => {
      const response = await fetch(`${appTokenApp.baseUrl}${path}`, {
        headers: { accept: 'application/json' },
      });
      return { status: response.status, body: await response.json() };
    };

    it('hands token errors to the module unwrapped: an unreachable identity provider is a 503', async () => {
      emulator.control.injectFault({ endpoint: 'token', status: 503, count: 10 });
      try {
        const response = await anonymousGet(bobPath);
        expect(response.status).toBe(503);
        expect(response.body).toMatchObject({ error: 'idp_unavailable' });
      } finally {
        emulator.control.clearFaults();
      }
    });

    it('calls Graph with the app token (client credentials), no user signed in', async () => {
      const before = emulator.control.counters().grantTypes.client_credentials ?? 0;
      const response = await anonymousGet(bobPath);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ userPrincipalName: DEFAULT_USERS.bob.username });
      expect(emulator.control.counters().grantTypes.client_credentials).toBe(before + 1);
    });
  });
});
