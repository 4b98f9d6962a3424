import { DEFAULT_APPS, DEFAULT_USERS, startEmulator } from '../src/index';
import { useEmulator } from '../src/testing';
import { webAppClientCredentialsForm } from './support/client-credentials-form';
import { webAppClient } from './support/msal-clients';

describe('control API over HTTP', () => {
  const emu = useEmulator({ controlApi: true });

  const control = (method: string, path: string, body?: unknown) =>
    fetch(`${emu().baseUrl}/_emulator/${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  const clientCredentials = () =>
    fetch(`${emu().authority}/oauth2/v2.0/token`, {
      method: 'POST',
      body: webAppClientCredentialsForm(),
    });

  it('fails the next N token requests with 503 and Retry-After, then recovers; counters see them all', async () => {
    expect(
      (await control('POST', 'faults', { endpoint: 'token', status: 503, retryAfterSeconds: 7, count: 2 }))
        .status,
    ).toBe(204);
    for (let i = 0; i < 2; i++) {
      const res = await clientCredentials();
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('7');
      expect(await res.json()).toMatchObject({ error: 'temporarily_unavailable' });
    }
    expect((await clientCredentials()).status).toBe(200);
    const counters = await (await control('GET', 'counters')).json();
    expect(counters).toMatchObject({ endpoints: { token: 3 }, grantTypes: { client_credentials: 3 } });
    expect((await control('DELETE', 'counters')).status).toBe(204);
    expect(await (await control('GET', 'counters')).json()).toEqual({ endpoints: {}, grantTypes: {} });
  });

  it('surfaces an injected 429 to MSAL as a server error', async () => {
    emu().control.injectFault({ endpoint: 'token', status: 429, retryAfterSeconds: 1, count: 1 });
    const cca = webAppClient(emu());
    await expect(
      cca.acquireTokenByClientCredential({ scopes: ['api://todo-api/.default'] }),
    ).rejects.toMatchObject({
      errorCode: 'temporarily_unavailable',
    });
  });

  it("answers an injected 429 with Retry-After and Entra's throttling error, for the next request only", async () => {
    emu().control.injectFault({ endpoint: 'token', status: 429, retryAfterSeconds: 3, count: 1 });
    const throttled = await clientCredentials();
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('3');
    expect(await throttled.json()).toMatchObject({ error: 'temporarily_unavailable', error_codes: [50196] });
    expect((await clientCredentials()).status).toBe(200);
  });

  it('delays the next request by an injected latency while later requests go straight through', async () => {
    emu().control.injectFault({ endpoint: 'discovery', latencyMs: 1000, count: 1 });
    const discovery = `${emu().authority}/v2.0/.well-known/openid-configuration`;
    let slowDone = false;
    const slow = fetch(discovery).then((res) => {
      slowDone = true;
      return res.status;
    });
    // Wait until the slow request has reached the server (and used up the fault).
    for (let i = 0; i < 200 && emu().control.counters().endpoints.discovery !== 1; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect((await fetch(discovery)).status).toBe(200);
    expect(slowDone).toBe(false);
    expect(await slow).toBe(200);
  });

  it('adds users and apps that can then be used, and validates what it is given', async () => {
    const created = await control('POST', 'users', {
      username: 'erin@contoso.onmicrosoft.com',
      password: 'pw',
    });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({
      username: 'erin@contoso.onmicrosoft.com',
      oid: expect.any(String),
    });
    expect(emu().directory.findUser('erin@contoso.onmicrosoft.com')).toBeDefined();

    const bad = await control('POST', 'users', { username: 'nopassword@contoso.onmicrosoft.com' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      error: 'invalid_request',
      error_description: expect.stringContaining('user.password'),
    });

    const app = await control('POST', 'apps', {
      clientId: '11111111-2222-4333-8444-555555555555',
      displayName: 'X',
      clientSecret: 's',
    });
    expect(app.status).toBe(201);
    expect((await control('POST', 'faults', { endpoint: 'nowhere', status: 500 })).status).toBe(400);
    expect((await control('POST', 'faults', '[1]')).status).toBe(400);
  });

  it('grants and revokes consent, sets policies, revokes users, and resets', async () => {
    const { alice } = DEFAULT_USERS;
    const consent = { user: alice.username, clientId: DEFAULT_APPS.webApp.clientId, scopes: ['User.Read'] };
    expect((await control('POST', 'consents', consent)).status).toBe(204);
    const user = emu().directory.findUser(alice.username)!;
    expect([...emu().directory.grantedScopeKeys(user, DEFAULT_APPS.webApp.clientId)]).toEqual([
      '00000003-0000-0000-c000-000000000000/user.read',
    ]);
    expect((await control('DELETE', 'consents', consent)).status).toBe(204);
    expect(emu().directory.grantedScopeKeys(user, DEFAULT_APPS.webApp.clientId).size).toBe(0);

    expect(
      (await control('POST', 'conditional-access', { resource: 'api://todo-api', requireMfa: true })).status,
    ).toBe(204);
    expect(emu().directory.conditionalAccess).toEqual([{ resource: 'api://todo-api', requireMfa: true }]);
    expect((await control('POST', `users/${encodeURIComponent(alice.username)}/revoke`)).status).toBe(204);
    expect(emu().directory.findUser(alice.username)!.tokensValidAfter).toBeGreaterThan(0);
    expect((await control('POST', 'users/nobody@nowhere/revoke')).status).toBe(404);

    expect((await control('POST', 'reset')).status).toBe(204);
    expect(emu().directory.conditionalAccess).toEqual([]);
    expect(emu().directory.findUser(alice.username)!.tokensValidAfter).toBe(0);
  });

  it('refuses writes whose body is not declared JSON, so a cross-site form or text post cannot reach it', async () => {
    const plain = await fetch(`${emu().baseUrl}/_emulator/faults`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ endpoint: 'token', status: 500 }),
    });
    expect(plain.status).toBe(415);
    expect(await plain.json()).toMatchObject({ error: 'invalid_request' });
    const bare = await fetch(`${emu().baseUrl}/_emulator/reset`, { method: 'POST' });
    expect(bare.status).toBe(415);
    // Nothing was injected: the next token request succeeds.
    expect((await clientCredentials()).status).toBe(200);
    expect((await control('POST', 'reset')).status).toBe(204);
  });

  it('refuses requests from another origin with 403 and accepts its own origin', async () => {
    const evil = await fetch(`${emu().baseUrl}/_emulator/reset`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
    });
    expect(evil.status).toBe(403);
    expect(await evil.json()).toMatchObject({ error: 'access_denied' });
    const read = await fetch(`${emu().baseUrl}/_emulator/counters`, {
      headers: { origin: 'http://localhost:3000' },
    });
    expect(read.status).toBe(403);
    const own = await fetch(`${emu().baseUrl}/_emulator/reset`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: emu().baseUrl },
    });
    expect(own.status).toBe(204);
  });

  it('refuses to serve the control API on a non-loopback interface unless allowRemoteControl is set', async () => {
    await expect(startEmulator({ controlApi: true, host: '0.0.0.0' })).rejects.toThrow(/allowRemoteControl/);
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const remote = await startEmulator({ controlApi: true, host: '0.0.0.0', allowRemoteControl: true });
      await remote.close();
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('0.0.0.0'));
    } finally {
      warn.mockRestore();
    }
    const loopback = await startEmulator({ controlApi: true, host: '::1' });
    await loopback.close();
  });

  it('is absent unless enabled', async () => {
    const plain = await startEmulator();
    try {
      const res = await fetch(`${plain.baseUrl}/_emulator/counters`);
      expect(res.status).toBe(404);
    } finally {
      await plain.close();
    }
  });
});
