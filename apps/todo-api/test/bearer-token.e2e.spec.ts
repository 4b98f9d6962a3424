import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DEFAULT_APPS, DEFAULT_USERS } from 'entra-emulator';
import { useEmulator } from 'entra-emulator/testing';
import { TodoApiModule } from '../src/app.module';
import { TodoApiSettings } from '../src/todo-api.settings';

const { alice } = DEFAULT_USERS;
const { webApp, todoApi } = DEFAULT_APPS;
const NO_ROLES_DAEMON = { clientId: '6f0e1d2c-3b4a-4c5d-9e8f-7a6b5c4d3e2f', clientSecret: 'daemon-secret' };

/** The sample todo API validating the emulator's tokens with passport-azure-ad's BearerStrategy. */
describe('todo API bearer tokens (passport-azure-ad BearerStrategy)', () => {
  const emulator = useEmulator({ resetBeforeEach: false });
  let api: INestApplication;
  let url: string;

  beforeAll(async () => {
    const settings = await TodoApiSettings.discover(emulator().authority, [
      todoApi.clientId,
      'api://todo-api',
    ]);
    api = await NestFactory.create(TodoApiModule.forSettings(settings), { logger: false });
    await api.listen(0, '127.0.0.1');
    url = `${await api.getUrl()}/api/todolist`;
    emulator().control.addApp({ ...NO_ROLES_DAEMON, displayName: 'Daemon without roles' });
  });
  afterAll(() => api?.close());

  async function token(form: Record<string, string>): Promise<string> {
    const res = await fetch(`${emulator().authority}/oauth2/v2.0/token`, {
      method: 'POST',
      body: new URLSearchParams(form),
    });
    const body = (await res.json()) as { access_token?: string };
    if (!body.access_token) throw new Error(`no token: ${JSON.stringify(body)}`);
    return body.access_token;
  }
  const call = (bearer?: string) =>
    fetch(url, { headers: bearer === undefined ? {} : { authorization: `Bearer ${bearer}` } });

  it('serves a user token with access_as_user, and an app token with Todo.ReadWrite.All', async () => {
    emulator().control.grantConsent(alice.username, webApp.clientId, ['api://todo-api/access_as_user']);
    const user = await token({
      grant_type: 'password',
      client_id: webApp.clientId,
      client_secret: webApp.clientSecret,
      username: alice.username,
      password: alice.password,
      scope: 'api://todo-api/access_as_user',
    });
    expect((await call(user)).status).toBe(200);
    const app = await token({
      grant_type: 'client_credentials',
      client_id: webApp.clientId,
      client_secret: webApp.clientSecret,
      scope: 'api://todo-api/.default',
    });
    expect((await call(app)).status).toBe(200);
  });

  it('answers 403 with a clear JSON body when the token has neither the scope nor the role', async () => {
    const bare = await token({
      grant_type: 'client_credentials',
      client_id: NO_ROLES_DAEMON.clientId,
      client_secret: NO_ROLES_DAEMON.clientSecret,
      scope: 'api://todo-api/.default',
    });
    const res = await call(bare);
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({
      statusCode: 403,
      error: 'insufficient_scope',
      message:
        'The access token needs the access_as_user scope (or, for an application, the Todo.ReadWrite.All role).',
    });
  });

  it('answers 401 with a Bearer challenge to a missing or tampered token, never naming the token', async () => {
    const missing = await call();
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer');
    const app = await token({
      grant_type: 'client_credentials',
      client_id: webApp.clientId,
      client_secret: webApp.clientSecret,
      scope: 'api://todo-api/.default',
    });
    const [header, payload, signature] = app.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, roles: ['Todo.ReadWrite.All', 'Admin'] })).toString('base64url')}.${signature}`;
    const tampered = await call(forged);
    expect(tampered.status).toBe(401);
    expect(tampered.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect(await tampered.text()).not.toContain(signature);
  });
});
