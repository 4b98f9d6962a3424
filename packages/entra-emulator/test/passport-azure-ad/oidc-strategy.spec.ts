import type { INestApplication } from '@nestjs/common';

import { DEFAULT_APPS, DEFAULT_TENANTS, DEFAULT_USERS } from '../../src/index';
import { signInOverHttp, useEmulator } from '../../src/testing';
import { startOidcWebApp } from './passport-apps';

const { alice } = DEFAULT_USERS;
const { webApp } = DEFAULT_APPS;

/** passport-azure-ad 4.3.5's OIDCStrategy (NestJS 12, express-session) signing alice in to the emulator. */
describe('passport-azure-ad OIDCStrategy against the emulator', () => {
  const emu = useEmulator({ resetBeforeEach: false });
  let app: INestApplication | undefined;
  afterEach(() => app?.close());

  /** The code flow with the web app's secret, answered in the query, state and nonce in the session. */
  const codeFlow = (redirectUrl: string, identityMetadata: string) =>
    ({
      identityMetadata,
      clientID: webApp.clientId,
      clientSecret: webApp.clientSecret,
      responseType: 'code',
      responseMode: 'query',
      redirectUrl,
      allowHttpForRedirectUrl: true,
      validateIssuer: true,
      passReqToCallback: false,
    }) as const;

  async function signedInClaims(web: INestApplication, startAt: string): Promise<Record<string, unknown>> {
    const { cookie, appUrl, returnedTo } = await signInOverHttp(web, alice, { startAt });
    expect(returnedTo).toBe('/me');
    return (await (await fetch(`${appUrl}/me`, { headers: { cookie } })).json()) as Record<string, unknown>;
  }

  it("signs alice in with the code flow against the tenant's v2.0 metadata", async () => {
    app = await startOidcWebApp((redirectUrl) => ({
      ...codeFlow(redirectUrl, `${emu().authority}/v2.0/.well-known/openid-configuration`),
      scope: ['profile', 'offline_access'],
    }));
    expect(await signedInClaims(app, '/account/signin')).toMatchObject({
      iss: `${emu().authority}/v2.0`,
      aud: webApp.clientId,
      preferred_username: alice.username,
    });
  });

  it('signs alice in through a B2C user flow (isB2C): ?p= metadata, lower-case policy in the endpoints, B2C issuer', async () => {
    const flow = 'b2c_1_signupsignin';
    app = await startOidcWebApp((redirectUrl) => ({
      ...codeFlow(
        redirectUrl,
        `${emu().baseUrl}/${DEFAULT_TENANTS.contoso.domain}/v2.0/.well-known/openid-configuration`,
      ),
      isB2C: true,
      scope: ['offline_access'],
    }));
    expect(await signedInClaims(app, `/account/signin?p=${flow}`)).toMatchObject({
      iss: `${emu().authority}/v2.0/`,
      tfp: 'B2C_1_signupsignin',
      acr: flow,
      sub: alice.oid,
    });
  });
});
