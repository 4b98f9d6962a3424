import { createPrivateKey } from 'node:crypto';

import * as client from 'openid-client';

import { DEFAULT_APPS, DEFAULT_USERS, startEmulator } from '../../src/index';
import { authorizeOverHttp, useEmulator } from '../../src/testing';
import { REDIRECT_URI } from '../support/msal-sign-in';
import { testCertificate, type TestCertificate } from '../support/test-certificate';

const { alice } = DEFAULT_USERS;
const { webApp } = DEFAULT_APPS;

/** openid-client 6 (panva), a client nobody on this project wrote, against the emulator. */
describe('openid-client against the emulator', () => {
  const emu = useEmulator();
  const issuer = () => new URL(`${emu().authority}/v2.0`);
  const config = () => client.discovery(issuer(), webApp.clientId, webApp.clientSecret);

  /** Runs the authorization code flow with PKCE and returns the token response. */
  async function signIn(method: 'S256' | 'plain', scope = 'openid profile email offline_access') {
    const cfg = await config();
    const verifier = client.randomPKCECodeVerifier();
    const challenge = method === 'S256' ? await client.calculatePKCECodeChallenge(verifier) : verifier;
    const nonce = client.randomNonce();
    const state = client.randomState();
    const url = client.buildAuthorizationUrl(cfg, {
      redirect_uri: REDIRECT_URI,
      scope,
      code_challenge: challenge,
      code_challenge_method: method,
      nonce,
      state,
    });
    const { url: callback } = await authorizeOverHttp(url.href, alice);
    const tokens = await client.authorizationCodeGrant(cfg, callback, {
      pkceCodeVerifier: verifier,
      expectedNonce: nonce,
      expectedState: state,
    });
    return { cfg, tokens };
  }

  it('discovers the tenant as Entra documents it: no code_challenge_methods_supported', async () => {
    const cfg = await config();
    expect(cfg.serverMetadata().issuer).toBe(`${emu().authority}/v2.0`);
    expect(cfg.serverMetadata().code_challenge_methods_supported).toBeUndefined();
    expect(cfg.serverMetadata().supportsPKCE()).toBe(false);
  });

  it('sees code_challenge_methods_supported only when the emulator is told to advertise it', async () => {
    const advertising = await startEmulator({ advertisePkce: true });
    try {
      const cfg = await client.discovery(new URL(`${advertising.authority}/v2.0`), webApp.clientId);
      expect(cfg.serverMetadata().supportsPKCE()).toBe(true);
      expect(cfg.serverMetadata().code_challenge_methods_supported).toEqual(['plain', 'S256']);
    } finally {
      await advertising.close();
    }
  });

  it.each(['S256', 'plain'] as const)(
    "signs alice in with PKCE %s, and fetchUserInfo accepts the userinfo sub (the ID token's pairwise sub)",
    async (method) => {
      const { cfg, tokens } = await signIn(method);
      const subject = tokens.claims()!.sub;
      expect(subject).not.toBe(alice.oid);
      const info = await client.fetchUserInfo(cfg, tokens.access_token, subject);
      expect(info).toMatchObject({ sub: subject, name: alice.displayName });
      const refreshed = await client.refreshTokenGrant(cfg, tokens.refresh_token!);
      expect(refreshed.claims()!.sub).toBe(subject);
    },
  );

  describe('private_key_jwt (certificate credentials)', () => {
    const DAEMON = '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';
    let cert: TestCertificate;
    beforeAll(async () => {
      cert = await testCertificate();
    });
    beforeEach(() => {
      emu().control.addApp({
        clientId: DAEMON,
        displayName: 'openid-client daemon',
        certificates: [cert.certificatePem],
        applicationPermissions: ['https://graph.microsoft.com/User.Read.All'],
      });
    });

    async function clientCredentials(modify?: client.ModifyAssertionFunction) {
      const key = createPrivateKey(cert.privateKeyPem);
      const cryptoKey = await crypto.subtle.importKey(
        'pkcs8',
        key.export({ type: 'pkcs8', format: 'der' }),
        { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
        false,
        ['sign'],
      );
      const cfg = await client.discovery(
        issuer(),
        DAEMON,
        undefined,
        client.PrivateKeyJwt(cryptoKey, modify ? { [client.modifyAssertion]: modify } : {}),
      );
      return client
        .clientCredentialsGrant(cfg, { scope: 'https://graph.microsoft.com/.default' })
        .catch((e: unknown) => e as client.ResponseBodyError);
    }

    it("is accepted with Entra's shape: x5t header and the token endpoint as the one audience", async () => {
      const result = await clientCredentials((header, payload) => {
        header.x5t = cert.x5t;
        payload.aud = `${emu().authority}/oauth2/v2.0/token`;
      });
      expect(result).toMatchObject({ token_type: 'bearer', access_token: expect.any(String) });
    });

    const cases: [string, client.ModifyAssertionFunction | undefined, string][] = [
      ["openid-client's defaults (no x5t, the issuer as audience)", undefined, 'AADSTS700027'],
      [
        'x5t#S256 but the issuer as audience',
        (header) => {
          header['x5t#S256'] = cert.x5tS256;
        },
        'AADSTS700021',
      ],
      [
        'a list of audiences',
        (header, payload) => {
          header.x5t = cert.x5t;
          payload.aud = [`${emu().authority}/v2.0`, `${emu().authority}/oauth2/v2.0/token`];
        },
        'AADSTS50027',
      ],
    ];
    it.each(cases)('is refused with %s', async (_name, modify, code) => {
      const error = await clientCredentials(modify);
      expect(error).toBeInstanceOf(client.ResponseBodyError);
      expect(error).toMatchObject({ error: 'invalid_client', status: 401 });
      expect((error as client.ResponseBodyError).error_description).toMatch(new RegExp(`^${code}:`));
    });
  });
});
