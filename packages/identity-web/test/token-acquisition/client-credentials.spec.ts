import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator, type RunningEmulator } from 'entra-emulator';
import { IdentityWebError } from '../../src/errors';
import { createTokenAcquisition } from './support/token-acquisition.fixture';

const TODO_DEFAULT = 'api://todo-api/.default';
const fixtures = join(__dirname, 'fixtures');
const DAEMON = '7d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6';

describe('app tokens (client credentials) against the emulator', () => {
  let emulator: RunningEmulator;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, controlApi: true });
  });
  afterAll(() => emulator.close());
  beforeEach(() => emulator.control.reset());

  it('gets an app token once, then serves it from the cache', async () => {
    const { service } = await createTokenAcquisition(emulator);
    const first = await service.getAccessTokenForApp(TODO_DEFAULT);
    const second = await service.getAccessTokenForApp(TODO_DEFAULT);
    expect(second.accessToken).toBe(first.accessToken);
    expect(first.tokenType).toBe('Bearer');
    expect(first.expiresOn.getTime()).toBeGreaterThan(Date.now());
    const payload = JSON.parse(Buffer.from(first.accessToken.split('.')[1], 'base64url').toString());
    expect(payload.roles).toContain('Todo.ReadWrite.All');
    const counters = emulator.control.counters();
    expect(counters.grantTypes.client_credentials).toBe(1);
    expect(counters.endpoints.discovery).toBe(1);
  });

  it('sends one token request for 1,000 concurrent callers', async () => {
    const { service } = await createTokenAcquisition(emulator);
    const tokens = await Promise.all(
      Array.from({ length: 1000 }, () => service.getAccessTokenForApp(TODO_DEFAULT)),
    );
    expect(new Set(tokens.map((t) => t.accessToken)).size).toBe(1);
    expect(emulator.control.counters().grantTypes.client_credentials).toBe(1);
  });

  it('gets a new token when forced to', async () => {
    const { service } = await createTokenAcquisition(emulator);
    await service.getAccessTokenForApp(TODO_DEFAULT);
    await service.getAccessTokenForApp(TODO_DEFAULT, { forceRefresh: true });
    expect(emulator.control.counters().grantTypes.client_credentials).toBe(2);
  });

  it('answers a 503 from the token endpoint with idp_unavailable, and recovers afterwards', async () => {
    const { service } = await createTokenAcquisition(emulator);
    emulator.control.injectFault({ endpoint: 'token', status: 503, retryAfterSeconds: 1 });
    const error = (await service
      .getAccessTokenForApp(TODO_DEFAULT)
      .catch((e: unknown) => e)) as IdentityWebError;
    expect(error).toBeInstanceOf(IdentityWebError);
    expect(error.code).toBe('idp_unavailable');
    expect(error.message).toContain(emulator.authority);
    expect(error.message).toContain('503');
    await expect(service.getAccessTokenForApp(TODO_DEFAULT)).resolves.toHaveProperty('tokenType', 'Bearer');
  });

  it('gives up on a silent token endpoint after the configured time-out', async () => {
    const fixture = await createTokenAcquisition(emulator, { httpTimeoutMs: 300 });
    const { service } = fixture;
    await fixture.authorities.metadata(); // discovery is not what this test slows down
    emulator.control.injectFault({ endpoint: 'token', latencyMs: 1_000 }); // the emulator's delay timer outlives close()
    const error = (await service
      .getAccessTokenForApp(TODO_DEFAULT)
      .catch((e: unknown) => e)) as IdentityWebError;
    expect(error.code).toBe('idp_unavailable');
    expect(error.message).toContain('timed out after 300 ms');
  });

  it('answers an unreachable identity provider with idp_unavailable', async () => {
    const down = await startEmulator({ port: 0 });
    const { service } = await createTokenAcquisition(down);
    await down.close();
    await expect(service.getAccessTokenForApp(TODO_DEFAULT)).rejects.toMatchObject({
      code: 'idp_unavailable',
    });
  });

  it('reports a wrong client secret as idp_error, without the secret in the message', async () => {
    const { service } = await createTokenAcquisition(emulator, { clientSecret: 'not-the-secret' });
    const error = (await service
      .getAccessTokenForApp(TODO_DEFAULT)
      .catch((e: unknown) => e)) as IdentityWebError;
    expect(error.code).toBe('idp_error');
    expect(error.message).toContain('invalid_client');
    expect(error.message).not.toContain('not-the-secret');
  });

  describe('with a certificate credential (private_key_jwt)', () => {
    beforeEach(() => {
      const pem = readFileSync(join(fixtures, 'app-cert.pem'), 'utf8');
      emulator.control.addApp({
        clientId: DAEMON,
        displayName: 'Certificate daemon',
        certificates: [pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/)![0]],
        applicationPermissions: ['api://todo-api/Todo.ReadWrite.All'],
      });
    });

    it.each([
      [
        'a PFX file with a password',
        {
          SourceType: 'Path',
          CertificateDiskPath: join(fixtures, 'app-cert.pfx'),
          CertificatePassword: 'secret-pass',
        },
      ],
      [
        'a base64 PFX without a password',
        {
          SourceType: 'Base64Encoded',
          Base64EncodedValue: readFileSync(join(fixtures, 'app-cert-nopass.pfx')).toString('base64'),
        },
      ],
      [
        'a PEM file, sending x5c',
        { SourceType: 'Path', CertificateDiskPath: join(fixtures, 'app-cert.pem'), SendX5C: true },
      ],
    ])('gets an app token signing the assertion with %s', async (_name, credential) => {
      const { service } = await createTokenAcquisition(emulator, {
        clientId: DAEMON,
        clientCredentials: [credential],
      });
      const token = await service.getAccessTokenForApp(TODO_DEFAULT);
      const payload = JSON.parse(Buffer.from(token.accessToken.split('.')[1], 'base64url').toString());
      expect(payload.appid ?? payload.azp).toBe(DAEMON);
      expect(payload.roles).toContain('Todo.ReadWrite.All');
      expect(emulator.control.counters().grantTypes.client_credentials).toBe(1);
    });

    it('skips a certificate with a wrong password for the next usable credential', async () => {
      const { service } = await createTokenAcquisition(emulator, {
        clientId: DAEMON,
        clientCredentials: [
          {
            SourceType: 'Path',
            CertificateDiskPath: join(fixtures, 'app-cert.pfx'),
            CertificatePassword: 'wrong',
          },
          {
            SourceType: 'Path',
            CertificateDiskPath: join(fixtures, 'app-cert.pfx'),
            CertificatePassword: 'secret-pass',
          },
        ],
      });
      await expect(service.getAccessTokenForApp(TODO_DEFAULT)).resolves.toHaveProperty('tokenType', 'Bearer');
    });
  });
});
