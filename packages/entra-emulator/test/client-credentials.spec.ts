import { X509Certificate, createHash, generateKeyPairSync } from 'node:crypto';

import { decodeProtectedHeader } from 'jose';

import { DEFAULT_APPS, DEFAULT_TENANT_ID, GRAPH_RESOURCE } from '../src/index';
import { useEmulator } from '../src/testing';
import { VerifyingClient, webAppClient } from './support/msal-clients';
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

  it('accepts a client assertion signed with a registered certificate key', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const daemon = emu().control.addApp({
      clientId: '0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6',
      displayName: 'Daemon with certificate',
      certificates: [publicKey.export({ type: 'spki', format: 'pem' }).toString()],
      applicationPermissions: [`${GRAPH_RESOURCE}/User.Read.All`],
    });
    const cca = new VerifyingClient(emu(), {
      clientId: daemon.clientId,
      clientCertificate: {
        thumbprintSha256: 'ab'.repeat(32),
        privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      },
    });
    const result = await cca.acquireTokenByClientCredential({ scopes: [`${GRAPH_RESOURCE}/.default`] });
    const claims = await verifyToken(emu(), result!.accessToken, {
      issuer: `https://sts.windows.net/${DEFAULT_TENANT_ID}/`,
      audience: GRAPH_RESOURCE,
    });
    expect(claims).toMatchObject({ appid: daemon.clientId, appidacr: '2', roles: ['User.Read.All'] });

    const { privateKey: otherKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const impostor = new VerifyingClient(emu(), {
      clientId: daemon.clientId,
      clientCertificate: {
        thumbprintSha256: 'ab'.repeat(32),
        privateKey: otherKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      },
    });
    await expect(
      impostor.acquireTokenByClientCredential({ scopes: [`${GRAPH_RESOURCE}/.default`] }),
    ).rejects.toMatchObject({
      errorCode: 'invalid_client',
      errorMessage: expect.stringContaining('AADSTS700027:'),
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

    const result = await webAppClient(emu()).acquireTokenByClientCredential({
      scopes: ['api://todo-api/.default'],
    });
    expect(decodeProtectedHeader(result!.accessToken)).toEqual({
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
