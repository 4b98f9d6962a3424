import { X509Certificate, createHash, createPrivateKey, randomUUID } from 'node:crypto';

import { SignJWT, decodeProtectedHeader } from 'jose';

import { DEFAULT_APPS, DEFAULT_TENANT_ID, GRAPH_RESOURCE } from '../src/index';
import { useEmulator } from '../src/testing';
import { VerifyingClient, webAppClient } from './support/msal-clients';
import { testCertificate, type TestCertificate } from './support/test-certificate';
import { verifyToken } from './support/verify-token';

describe('client credentials through MSAL', () => {
  const emu = useEmulator({ resetBeforeEach: false });

  it('issues a v2 app-only token for a custom API whose roles are the granted app permissions', async () => {
    const result = await webAppClient(emu()).acquireTokenByClientCredential({
      scopes: ['api://todo-api/.default'],
    });
    const claims = await verifyToken(emu(), result!.accessToken, {
      issuer: `${emu().authority}/v2.0`,
      audience: DEFAULT_APPS.todoApi.clientId,
    });
    expect(claims).toMatchObject({
      ver: '2.0',
      tid: DEFAULT_TENANT_ID,
      azp: DEFAULT_APPS.webApp.clientId,
      azpacr: '1',
      roles: ['Todo.ReadWrite.All'],
      idtyp: 'app',
    });
    expect(claims.scp).toBeUndefined();
  });

  it('issues a v1-shaped token for Microsoft Graph, as Entra does', async () => {
    const result = await webAppClient(emu()).acquireTokenByClientCredential({
      scopes: [`${GRAPH_RESOURCE}/.default`],
    });
    const claims = await verifyToken(emu(), result!.accessToken, {
      issuer: `https://sts.windows.net/${DEFAULT_TENANT_ID}/`,
      audience: GRAPH_RESOURCE,
    });
    expect(claims).toMatchObject({ ver: '1.0', appid: DEFAULT_APPS.webApp.clientId, appidacr: '1' });
  });

  it('refuses a wrong secret with invalid_client and AADSTS7000215', async () => {
    await expect(
      webAppClient(emu(), { clientSecret: 'wrong' }).acquireTokenByClientCredential({
        scopes: ['api://todo-api/.default'],
      }),
    ).rejects.toMatchObject({
      errorCode: 'invalid_client',
      errorMessage: expect.stringContaining('AADSTS7000215:'),
    });
  });

  it('refuses a scope without /.default (AADSTS1002012)', async () => {
    await expect(
      webAppClient(emu()).acquireTokenByClientCredential({ scopes: ['api://todo-api/access_as_user'] }),
    ).rejects.toMatchObject({
      errorCode: 'invalid_scope',
      errorMessage: expect.stringContaining('AADSTS1002012:'),
    });
  });

  describe('private_key_jwt, as Entra checks it (certificate credentials)', () => {
    const DAEMON = '0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6';
    let cert: TestCertificate;
    beforeAll(async () => {
      cert = await testCertificate();
      emu().control.addApp({
        clientId: DAEMON,
        displayName: 'Daemon with certificate',
        certificates: [cert.certificatePem],
        applicationPermissions: [`${GRAPH_RESOURCE}/User.Read.All`],
      });
    });
    const daemon = (clientCertificate: {
      thumbprint?: string;
      thumbprintSha256?: string;
      privateKey: string;
    }) => new VerifyingClient(emu(), { clientId: DAEMON, clientCertificate });

    it.each([
      ['x5t (SHA-1)', () => ({ thumbprint: cert.sha1Hex, privateKey: cert.privateKeyPem })],
      ['x5t#S256 (SHA-256)', () => ({ thumbprintSha256: cert.sha256Hex, privateKey: cert.privateKeyPem })],
    ])('accepts an assertion naming the registered certificate by %s', async (_name, credential) => {
      const result = await daemon(credential()).acquireTokenByClientCredential({
        scopes: [`${GRAPH_RESOURCE}/.default`],
      });
      const claims = await verifyToken(emu(), result!.accessToken, {
        issuer: `https://sts.windows.net/${DEFAULT_TENANT_ID}/`,
        audience: GRAPH_RESOURCE,
      });
      expect(claims).toMatchObject({ appid: DAEMON, appidacr: '2', roles: ['User.Read.All'] });
    });

    it('refuses a certificate that is not registered, and a registered thumbprint with another key (AADSTS700027)', async () => {
      const other = await testCertificate();
      for (const credential of [
        { thumbprintSha256: other.sha256Hex, privateKey: other.privateKeyPem },
        { thumbprintSha256: cert.sha256Hex, privateKey: other.privateKeyPem },
      ]) {
        await expect(
          daemon(credential).acquireTokenByClientCredential({ scopes: [`${GRAPH_RESOURCE}/.default`] }),
        ).rejects.toMatchObject({
          errorCode: 'invalid_client',
          errorMessage: expect.stringContaining('AADSTS700027:'),
        });
      }
    });

    /** A token request whose assertion the test signs itself (RS256 with the registered key). */
    async function withAssertion(header: Record<string, unknown>, aud: string | string[]) {
      const now = Math.floor(Date.now() / 1000);
      const payload = { iss: DAEMON, sub: DAEMON, aud, jti: randomUUID(), nbf: now, exp: now + 300 };
      const assertion = await new SignJWT(payload)
        .setProtectedHeader({ alg: 'RS256', typ: 'JWT', ...header })
        .sign(createPrivateKey(cert.privateKeyPem));
      const res = await fetch(`${emu().authority}/oauth2/v2.0/token`, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: DAEMON,
          scope: `${GRAPH_RESOURCE}/.default`,
          client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
          client_assertion: assertion,
        }),
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    }

    it('refuses an assertion without x5t or x5t#S256, and one with a list of audiences (AADSTS50027)', async () => {
      const tokenEndpoint = `${emu().authority}/oauth2/v2.0/token`;
      expect(await withAssertion({ x5t: cert.x5t }, tokenEndpoint)).toMatchObject({ status: 200 });
      expect(await withAssertion({ kid: cert.x5t }, tokenEndpoint)).toMatchObject({
        status: 401,
        body: { error: 'invalid_client', error_codes: [700027] },
      });
      expect(
        await withAssertion({ 'x5t#S256': cert.x5tS256 }, [`${emu().authority}/v2.0`, tokenEndpoint]),
      ).toMatchObject({ status: 401, body: { error: 'invalid_client', error_codes: [50027] } });
    });
  });

  it('serves discovery for common with the {tenantid} issuer template and the same keys', async () => {
    const doc = (await (
      await fetch(`${emu().baseUrl}/common/v2.0/.well-known/openid-configuration`)
    ).json()) as Record<string, string>;
    expect(doc.issuer).toBe(`${emu().baseUrl}/{tenantid}/v2.0`);
    expect(doc.token_endpoint).toBe(`${emu().baseUrl}/common/oauth2/v2.0/token`);
    const common = await (await fetch(doc.jwks_uri)).json();
    const tenant = await (await fetch(`${emu().authority}/discovery/v2.0/keys`)).json();
    expect(common).toEqual(tenant);
  });

  it('names its signing key as Entra does: kid = x5t = SHA-1 thumbprint of the x5c certificate', async () => {
    const { keys } = (await (await fetch(`${emu().authority}/discovery/v2.0/keys`)).json()) as {
      keys: { kid: string; x5t: string; x5c: string[]; n: string; e: string }[];
    };
    expect(keys).toHaveLength(1);
    const [key] = keys;
    const der = Buffer.from(key.x5c[0], 'base64');
    expect(key.kid).toBe(createHash('sha1').update(der).digest('base64url'));
    expect(key.x5t).toBe(key.kid);
    expect(new X509Certificate(der).publicKey.export({ format: 'jwk' })).toMatchObject({
      n: key.n,
      e: key.e,
    });

    // v2 tokens name the key once (kid), v1 tokens twice (x5t and kid), as Entra's do.
    const v2 = await webAppClient(emu()).acquireTokenByClientCredential({
      scopes: ['api://todo-api/.default'],
    });
    expect(decodeProtectedHeader(v2!.accessToken)).toEqual({ typ: 'JWT', alg: 'RS256', kid: key.kid });
    const v1 = await webAppClient(emu()).acquireTokenByClientCredential({
      scopes: [`${GRAPH_RESOURCE}/.default`],
    });
    expect(decodeProtectedHeader(v1!.accessToken)).toEqual({
      typ: 'JWT',
      alg: 'RS256',
      kid: key.kid,
      x5t: key.kid,
    });
  });

  it('answers an unknown tenant with AADSTS90002', async () => {
    const res = await fetch(`${emu().baseUrl}/nosuchtenant.example/v2.0/.well-known/openid-configuration`);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_request', error_codes: [90002] });
  });
});
