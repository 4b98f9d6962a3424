import {
  ClientCertificateCredential,
  ClientSecretCredential,
  OnBehalfOfCredential,
  type TokenCredential,
} from '@azure/identity';
import { Client } from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials';

import { DEFAULT_APPS, DEFAULT_USERS, GRAPH_RESOURCE } from '../../src/index';
import { useEmulator } from '../../src/testing';
import { userTokenByPassword } from '../support/password-grant';
import { testCertificate } from '../support/test-certificate';

const { alice, bob } = DEFAULT_USERS;
const { webApp, todoApi } = DEFAULT_APPS;
const DAEMON = '3c4d5e6f-7081-4a92-8b3c-4d5e6f708192';

/** @azure/identity 4.13 credentials, with the Microsoft Graph client, against the emulator. */
describe('@azure/identity with the Graph client against the emulator', () => {
  const emu = useEmulator();
  const options = () => ({ authorityHost: emu().baseUrl, disableInstanceDiscovery: true });
  const graph = (credential: TokenCredential) =>
    Client.initWithMiddleware({
      authProvider: new TokenCredentialAuthenticationProvider(credential, {
        scopes: [`${GRAPH_RESOURCE}/.default`],
      }),
      baseUrl: emu().baseUrl,
      customHosts: new Set(['localhost']), // bare host name, or the client drops the bearer
    });

  it('reads a user with ClientCertificateCredential (private_key_jwt naming the certificate)', async () => {
    const cert = await testCertificate();
    emu().control.addApp({
      clientId: DAEMON,
      displayName: 'Certificate daemon',
      certificates: [cert.certificatePem],
      applicationPermissions: [`${GRAPH_RESOURCE}/User.Read.All`],
    });
    const credential = new ClientCertificateCredential(
      emu().tenantId,
      DAEMON,
      { certificate: `${cert.privateKeyPem}\n${cert.certificatePem}` },
      options(),
    );
    const user = (await graph(credential).api(`/users/${bob.username}`).get()) as { displayName: string };
    expect(user.displayName).toBe(bob.displayName);
  });

  it('reads a user with ClientSecretCredential, and a wrong secret fails with AADSTS7000215', async () => {
    emu().control.addApp({
      clientId: DAEMON,
      displayName: 'Secret daemon',
      clientSecret: 'daemon-secret',
      applicationPermissions: [`${GRAPH_RESOURCE}/User.Read.All`],
    });
    const ok = new ClientSecretCredential(emu().tenantId, DAEMON, 'daemon-secret', options());
    await expect(graph(ok).api(`/users/${alice.username}`).get()).resolves.toMatchObject({ id: alice.oid });
    const wrong = new ClientSecretCredential(emu().tenantId, DAEMON, 'not-the-secret', options());
    await expect(wrong.getToken(`${GRAPH_RESOURCE}/.default`)).rejects.toThrow(/AADSTS7000215/);
  });

  describe('OnBehalfOfCredential and continuous access evaluation', () => {
    /** alice's token for the todo API (the assertion the API exchanges for Graph). */
    async function aliceTodoToken(): Promise<string> {
      emu().control.grantConsent(alice.username, webApp.clientId, ['api://todo-api/access_as_user']);
      emu().control.grantConsent(alice.username, todoApi.clientId, ['User.Read']);
      return userTokenByPassword(emu(), 'api://todo-api/access_as_user');
    }
    const me = (token: string) =>
      fetch(`${emu().baseUrl}/v1.0/me`, { headers: { authorization: `Bearer ${token}` } });

    it('gets Graph tokens on behalf of alice; after her revocation only the CAE (cp1) token is challenged', async () => {
      const credential = new OnBehalfOfCredential({
        tenantId: emu().tenantId,
        clientId: todoApi.clientId,
        clientSecret: todoApi.clientSecret,
        userAssertionToken: await aliceTodoToken(),
        ...options(),
      });
      const cae = await credential.getToken(`${GRAPH_RESOURCE}/User.Read`, { enableCae: true });
      const plain = await new OnBehalfOfCredential({
        tenantId: emu().tenantId,
        clientId: todoApi.clientId,
        clientSecret: todoApi.clientSecret,
        userAssertionToken: await aliceTodoToken(),
        ...options(),
      }).getToken(`${GRAPH_RESOURCE}/User.Read`);
      expect((await me(cae.token)).status).toBe(200);
      expect((await me(plain.token)).status).toBe(200);

      emu().control.revokeUser(alice.username);
      const challenged = await me(cae.token);
      expect(challenged.status).toBe(401);
      expect(challenged.headers.get('www-authenticate')).toContain('error="insufficient_claims"');
      const refused = await me(plain.token);
      expect(refused.status).toBe(401);
      expect(refused.headers.get('www-authenticate')).not.toContain('insufficient_claims');
    });
  });
});
