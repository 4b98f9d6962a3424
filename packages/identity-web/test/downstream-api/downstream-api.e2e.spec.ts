import type { INestApplication } from '@nestjs/common';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NestFactory } from '@nestjs/core';
import { Test, type TestingModule } from '@nestjs/testing';
import { DEFAULT_APPS, DEFAULT_USERS, startEmulator, type RunningEmulator } from 'entra-emulator';
import { TodoApiModule } from '../../../../apps/todo-api/src/app.module';
import { TodoApiSettings } from '../../../../apps/todo-api/src/todo-api.settings';
import { AuthorizationHeaderProvider } from '../../src/downstream-api/authorization-header.provider';
import { DownstreamApiError } from '../../src/errors/downstream-api.error';
import { DownstreamApiService } from '../../src/downstream-api/downstream-api.service';
import { IdentityWebModule } from '../../src/identity-web.module';
import type { SignedInUser } from '../../src/token-acquisition/signed-in-user';
import { Authorities } from '../../src/token-acquisition/authorities';
import { AuthorizationCodeClient } from '../../src/sign-in/authorization-code.client';
import { signIn } from '../token-acquisition/support/sign-in.driver';

interface Todo {
  id: number;
  title: string;
  done: boolean;
}

const TODO_SCOPE = 'api://todo-api/access_as_user';
const { webApp } = DEFAULT_APPS;

/**
 * The seed guide's calls, against real parts: the emulator issues the tokens, the sample todo
 * API checks them, Graph is the emulator's stand-in. The user is passed explicitly, as
 * background work outside a request would.
 */
describe('DownstreamApiService and AuthorizationHeaderProvider against the todo API and Graph', () => {
  let emulator: RunningEmulator;
  let todoApi: INestApplication;
  let moduleRef: TestingModule;
  let api: DownstreamApiService;
  let alice: SignedInUser;
  /** An API that refuses tokens without a claims challenge, as after a revocation; it notes every token it sees. */
  let picky: Server;
  const seenByPicky: Array<{ path: string; token: string }> = [];

  beforeAll(async () => {
    const refused = new Set<string>();
    picky = createServer((req, res) => {
      const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
      seenByPicky.push({ path: req.url ?? '', token });
      // /always refuses every token; /revoked refuses the first token it sees (revoked since).
      if (req.url === '/revoked' && seenByPicky.filter((s) => s.path === '/revoked').length === 1)
        refused.add(token);
      const ok = req.url === '/revoked' && !refused.has(token);
      res.writeHead(ok ? 200 : 401, {
        'content-type': 'application/json',
        ...(ok ? {} : { 'www-authenticate': 'Bearer error="invalid_token"' }),
      });
      res.end(JSON.stringify(ok ? { ok: true } : { error: 'invalid_token' }));
    });
    await new Promise<void>((resolve) => picky.listen(0, '127.0.0.1', resolve));
    const pickyUrl = `http://127.0.0.1:${(picky.address() as AddressInfo).port}`;
    emulator = await startEmulator({ port: 0, controlApi: true });
    const settings = await TodoApiSettings.discover(emulator.authority, [DEFAULT_APPS.todoApi.clientId]);
    todoApi = await NestFactory.create(TodoApiModule.forSettings(settings), { logger: false });
    await todoApi.listen(0, '127.0.0.1');
    moduleRef = await Test.createTestingModule({
      imports: [
        IdentityWebModule.forRoot({
          AzureAd: {
            Instance: `${emulator.baseUrl}/`,
            TenantId: emulator.tenantId,
            ClientId: webApp.clientId,
            ClientCredentials: [{ SourceType: 'ClientSecret', ClientSecret: webApp.clientSecret }],
          },
          DownstreamApis: {
            TodoList: { BaseUrl: await todoApi.getUrl(), Scopes: [TODO_SCOPE] },
            TodoListAsApp: {
              BaseUrl: await todoApi.getUrl(),
              Scopes: ['api://todo-api/.default'],
              RequestAppToken: true,
            },
            GraphAPI: { BaseUrl: `${emulator.baseUrl}/v1.0`, Scopes: ['User.Read'] },
            GraphOverUndici: {
              BaseUrl: `${emulator.baseUrl}/v1.0`,
              Scopes: ['User.Read'],
              Transport: 'Undici',
            },
            Picky: { BaseUrl: pickyUrl, Scopes: [TODO_SCOPE] },
          },
          IdentityWeb: { Session: { Secret: 'a-long-enough-session-secret-for-the-tests-000' } },
        }),
      ],
    }).compile();
    api = moduleRef.get(DownstreamApiService);
    emulator.control.grantConsent(DEFAULT_USERS.alice.username, webApp.clientId, ['User.Read']);
    ({ user: alice } = await signIn(
      { codes: moduleRef.get(AuthorizationCodeClient), authorities: moduleRef.get(Authorities) },
      webApp.clientId,
      DEFAULT_USERS.alice,
      {
        scopes: ['openid', 'profile', 'offline_access', TODO_SCOPE],
      },
    ));
  });

  afterAll(async () => {
    await moduleRef?.close();
    await todoApi?.close();
    await emulator?.close();
    await new Promise((resolve) => picky?.close(resolve));
  });

  it('creates, reads, updates and deletes the user’s todos', async () => {
    const path = (o: { relativePath?: string }) => (o.relativePath = 'api/todolist');
    const created = await api.postForUser<{ title: string }, Todo>('TodoList', { title: 'milk' }, (o) => {
      path(o);
      o.user = alice;
    });
    expect(created).toMatchObject({ title: 'milk', done: false });
    const list = await api.getForUser<Todo[]>('TodoList', { relativePath: 'api/todolist', user: alice });
    expect(list.map((t) => t.title)).toEqual(['milk']);
    const updated = await api.putForUser<Partial<Todo>, Todo>(
      'TodoList',
      { done: true },
      { relativePath: `api/todolist/${created.id}`, user: alice },
    );
    expect(updated.done).toBe(true);
    await api.deleteForUser('TodoList', null, { relativePath: `api/todolist/${created.id}`, user: alice });
    const gone = await api
      .getForUser('TodoList', { relativePath: `api/todolist/${created.id}`, user: alice })
      .catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(DownstreamApiError);
    expect(gone).toMatchObject({ status: 404, body: { message: `todo ${created.id} not found` } });
  });

  it('calls as the app with its .default scope (application permission)', async () => {
    const mine = await api.postForApp<{ title: string }, Todo>(
      'TodoListAsApp',
      { title: 'nightly job' },
      {
        relativePath: 'api/todolist',
      },
    );
    const seenByApp = await api.getForApp<Todo[]>('TodoListAsApp', { relativePath: 'api/todolist' });
    expect(seenByApp.map((t) => t.id)).toContain(mine.id);
    const seenByAlice = await api.getForUser<Todo[]>('TodoList', {
      relativePath: 'api/todolist',
      user: alice,
    });
    expect(seenByAlice.map((t) => t.id)).not.toContain(mine.id);
  });

  it('gives an Authorization header for a request built by hand', async () => {
    const header = await moduleRef
      .get(AuthorizationHeaderProvider)
      .createAuthorizationHeaderForUser([TODO_SCOPE], { user: alice });
    const response = await fetch(`${await todoApi.getUrl()}/api/todolist`, {
      headers: { Authorization: header, 'X-Custom-Header': 'custom-value' },
    });
    expect(response.status).toBe(200);
  });

  it('asks Graph with the static .default scope for what the user already granted', async () => {
    const me = await api.getForUser<{ displayName: string }>('GraphAPI', {
      relativePath: 'me',
      scopes: ['https://graph.microsoft.com/.default'],
      user: alice,
    });
    expect(me.displayName).toBe(DEFAULT_USERS.alice.displayName);
  });

  it('calls Graph over https with undici when the API says Transport: Undici', async () => {
    const me = await api.getForUser<{ displayName: string }>('GraphOverUndici', {
      relativePath: 'me',
      user: alice,
    });
    expect(me.displayName).toBe(DEFAULT_USERS.alice.displayName);
    const anonymous = await api.callApiForUser('GraphOverUndici', { relativePath: 'me', scopes: [] });
    expect(anonymous.status).toBe(401);
  });

  it('sends query parameters encoded, as the seed’s search example does', async () => {
    const page = await api
      .getForUser<{ value: Array<{ subject: string }> }>('GraphAPI', {
        relativePath: 'me/messages',
        scopes: ['Mail.Read'],
        queryParameters: { $top: '3', $select: 'subject' },
        user: alice,
      })
      .catch((e: unknown) => e);
    // Alice never granted Mail.Read: the call needs her, which is what the consent filter acts on.
    expect(page).toMatchObject({ code: 'challenge_user', msalErrorCode: 'consent_required' });
    emulator.control.grantConsent(DEFAULT_USERS.alice.username, webApp.clientId, ['Mail.Read']);
    const granted = await api.getForUser<{ value: Array<{ subject: string }> }>('GraphAPI', {
      relativePath: 'me/messages',
      scopes: ['Mail.Read'],
      queryParameters: { $top: '3', $select: 'subject' },
      user: alice,
    });
    expect(granted.value).toHaveLength(3);
    expect(Object.keys(granted.value[0]).sort()).toEqual(['id', 'subject']); // Graph always adds id
  });

  it('retries a 401 without a claims challenge once, with a new token in place of the refused one', async () => {
    seenByPicky.length = 0;
    await expect(api.getForUser('Picky', { relativePath: 'revoked', user: alice })).resolves.toEqual({
      ok: true,
    });
    expect(seenByPicky).toHaveLength(2);
    expect(seenByPicky[1].token).not.toBe(seenByPicky[0].token);
    // The refused token left the cache: the next call sends the new one, once.
    await api.getForUser('Picky', { relativePath: 'revoked', user: alice });
    expect(seenByPicky).toHaveLength(3);
    expect(seenByPicky[2].token).toBe(seenByPicky[1].token);
  });

  it('gives up after one retry when the API keeps answering 401', async () => {
    seenByPicky.length = 0;
    const err = await api
      .getForUser('Picky', { relativePath: 'always', user: alice })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'downstream_api_error', status: 401 });
    expect(seenByPicky.map((s) => s.path)).toEqual(['/always', '/always']);
  });

  it('asks for the user when the refresh token is refused too (revoked at the identity provider)', async () => {
    seenByPicky.length = 0;
    emulator.control.revokeUser(DEFAULT_USERS.alice.username);
    const err = await api
      .getForUser('Picky', { relativePath: 'always', user: alice })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'challenge_user', msalErrorCode: 'bad_token' });
    expect(seenByPicky).toHaveLength(1);
  });
});
