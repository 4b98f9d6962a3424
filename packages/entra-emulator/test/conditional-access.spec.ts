import type { AccountInfo } from '@azure/msal-node';
import { CookieJar } from 'tough-cookie';

import { DEFAULT_USERS, GRAPH_RESOURCE, MFA_CODE } from '../src/index';
import { useEmulator } from '../src/testing';
import { VerifyingClient, webAppClient } from './support/msal-clients';
import { signInWithMsal, signInAndRedeem } from './support/msal-sign-in';

const { alice } = DEFAULT_USERS;

describe('conditional access, claims challenges and revocation (MSAL)', () => {
  const emu = useEmulator();

  const webApp = () => webAppClient(emu(), { clientCapabilities: ['cp1'] });

  async function aliceSignedIn(cca: VerifyingClient, jar: CookieJar) {
    const tokens = await signInAndRedeem(cca, jar, ['User.Read', 'Mail.Read'], alice);
    return tokens.account as AccountInfo;
  }

  it('surfaces an MFA policy as AADSTS50076 basic_action with claims, which a re-authorization with MFA satisfies', async () => {
    const cca = webApp();
    const jar = new CookieJar();
    const account = await aliceSignedIn(cca, jar);

    emu().control.setConditionalAccess({ resource: GRAPH_RESOURCE, requireMfa: true });
    const err = (await cca
      .acquireTokenSilent({ account, scopes: ['Mail.Read'], forceRefresh: true })
      .catch((e: unknown) => e)) as { errorCode: string; subError: string; claims: string; name: string };
    expect(err).toMatchObject({
      name: 'InteractionRequiredAuthError',
      errorCode: 'invalid_grant',
      subError: 'basic_action',
      errorMessage: expect.stringContaining('AADSTS50076:'),
    });
    expect(JSON.parse(err.claims)).toMatchObject({ access_token: { capolids: { essential: true } } });

    // The app sends the user back with the claims: the SSO session skips the password, not MFA.
    const again = await signInWithMsal(cca, jar, ['Mail.Read'], { otp: MFA_CODE }, { claims: err.claims });
    expect(again.result.pages).toEqual(['mfa']);
    const tokens = await again.redeem();
    expect((tokens.idTokenClaims as { amr: string[] }).amr).toContain('mfa');
    const silent = await cca.acquireTokenSilent({
      account: tokens.account!,
      scopes: ['User.Read'],
      forceRefresh: true,
    });
    expect(silent.accessToken).toBeTruthy();
  });

  it('refuses a wrong MFA code and stays on the MFA step', async () => {
    emu().control.setConditionalAccess({ resource: GRAPH_RESOURCE, requireMfa: true });
    const signIn = signInWithMsal(webApp(), new CookieJar(), ['User.Read'], {
      username: alice.username,
      password: alice.password,
      otp: '000000',
    });
    await expect(signIn).rejects.toMatchObject({
      name: 'SignInFlowError',
      page: 'mfa',
      message: expect.stringContaining('AADSTS50074'),
    });
  });

  it('answers a revoked user with AADSTS50173 bad_token, which MSAL treats as interaction required', async () => {
    const cca = webApp();
    const account = await aliceSignedIn(cca, new CookieJar());
    emu().control.revokeUser(alice.username);
    await expect(
      cca.acquireTokenSilent({ account, scopes: ['User.Read'], forceRefresh: true }),
    ).rejects.toMatchObject({
      name: 'InteractionRequiredAuthError',
      errorCode: 'invalid_grant',
      subError: 'bad_token',
      errorMessage: expect.stringContaining('AADSTS50173:'),
    });
  });

  it('accepts the claims MSAL merges from client capabilities and puts xms_cc in the access token', async () => {
    const cca = webApp();
    const account = await aliceSignedIn(cca, new CookieJar());
    const result = await cca.acquireTokenSilent({ account, scopes: ['User.Read'], forceRefresh: true });
    const claims = JSON.parse(
      Buffer.from(result.accessToken.split('.')[1], 'base64url').toString(),
    ) as Record<string, unknown>;
    expect(claims.xms_cc).toEqual(['cp1']);
  });
});
