import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { inspect } from 'node:util';
import type { ArgumentsHost } from '@nestjs/common';
import type { AuthorizeForScopesFilter } from '../consent/authorize-for-scopes.filter';
import {
  ChallengeUserException,
  DownstreamApiError,
  DownstreamApiRedirectError,
  DownstreamApiUnavailableError,
} from '../errors';
import { IdentityWebErrorFilter } from '../identity-web-error.filter';
import type { HttpTransport } from '../options/http.section';
import type { IdentityWebOptions } from '../options/identity-web.options';
import type {
  AuthorizationHeaderOptions,
  AuthorizationHeaderProvider,
} from './authorization-header.provider';
import { DownstreamApiService } from './downstream-api.service';
import { DownstreamTransports } from './downstream-transports';

/** What the echo API saw of a request. */
interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A real local API: echoes requests as JSON, or answers what `/status/<code>` and friends ask for. */
async function startEchoApi(): Promise<{ server: Server; baseUrl: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const entry = {
      method: req.method!,
      url: req.url!,
      headers: req.headers,
      body: Buffer.concat(chunks).toString(),
    };
    seen.push(entry);
    const url = new URL(req.url!, 'http://x');
    const path = url.pathname.replace(/^\/base/, '');
    if (path === '/redirect') {
      // /redirect?status=307&location=...: the redirect asked for.
      res.writeHead(Number(url.searchParams.get('status')), {
        location: url.searchParams.get('location')!,
        'content-type': 'application/json',
      });
      res.end('{"moved":true}');
    } else if (path === '/loop') {
      res
        .writeHead(302, { location: '/base/loop', 'content-type': 'application/json' })
        .end('{"again":true}');
    } else if (path === '/slow') {
      setTimeout(() => res.writeHead(200).end('late'), 400);
    } else if (path.startsWith('/status/')) {
      const status = Number(path.split('/')[2]);
      res.writeHead(status, { 'content-type': 'application/problem+json' });
      res.end(JSON.stringify({ title: 'nope', status }));
    } else if (path === '/text') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('plain words');
    } else if (path === '/binary') {
      res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.from([137, 80, 78, 71]));
    } else if (path === '/empty') {
      res.writeHead(204).end();
    } else if (path === '/claims') {
      // Accepts only a token obtained with the claims it asked for.
      if (req.headers.authorization === 'Bearer with-claims') {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      } else {
        const claims = Buffer.from('{"access_token":{"acrs":{"essential":true,"value":"c1"}}}').toString(
          'base64',
        );
        res.writeHead(401, {
          'www-authenticate': `Bearer realm="", authorization_uri="https://login.example/authorize", error="insufficient_claims", claims="${claims}"`,
        });
        res.end();
      }
    } else {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(entry));
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

/** Stands in for token acquisition: hands out recognisable tokens and records what was asked. */
class RecordingHeaders {
  calls: Array<{ scopes: readonly string[]; options: AuthorizationHeaderOptions }> = [];
  challengeOnClaims = false;
  async createAuthorizationHeader(scopes: readonly string[], options: AuthorizationHeaderOptions = {}) {
    this.calls.push({ scopes, options });
    if (options.acquireTokenOptions?.claims) {
      // As token acquisition does: the challenge carries the claims the request asked with.
      if (this.challengeOnClaims) {
        throw new ChallengeUserException([...scopes], 'MFA needed', {
          claims: options.acquireTokenOptions.claims,
        });
      }
      return 'Bearer with-claims';
    }
    return options.requestAppToken ? 'Bearer app-token' : 'Bearer user-token';
  }
}

/** The HTTP status the module's error filter answers `err` with. */
function statusFor(err: unknown): number | undefined {
  let status: number | undefined;
  const res = {
    headersSent: false,
    status: (code: number) => ((status = code), res),
    setHeader: () => res,
    type: () => res,
    send: () => res,
    json: () => res,
  };
  const req = { method: 'GET', headers: { accept: 'application/json' }, originalUrl: '/' };
  const host = {
    getType: () => 'http',
    switchToHttp: () => ({ getRequest: () => req, getResponse: () => res }),
  } as unknown as ArgumentsHost;
  new IdentityWebErrorFilter(
    { accountRoutesPrefix: '/account' } as IdentityWebOptions,
    {} as unknown as AuthorizeForScopesFilter,
  ).catch(err as DownstreamApiUnavailableError, host);
  return status;
}

describe.each(['axios', 'undici'] satisfies HttpTransport[])(
  'DownstreamApiService over %s against a real local API',
  (transport) => {
    let api: Awaited<ReturnType<typeof startEchoApi>>;
    /** Another origin, for cross-origin redirects. */
    let other: Awaited<ReturnType<typeof startEchoApi>>;
    let headers: RecordingHeaders;
    let service: DownstreamApiService;
    let options: IdentityWebOptions;

    const transports = new DownstreamTransports();

    beforeAll(async () => {
      api = await startEchoApi();
      other = await startEchoApi();
    });
    afterAll(async () => {
      await transports.close(); // closes the kept-alive sockets, or the servers would wait for them
      await new Promise<void>((resolve) => api.server.close(() => resolve()));
      await new Promise<void>((resolve) => other.server.close(() => resolve()));
    });

    beforeEach(() => {
      api.seen.length = 0;
      other.seen.length = 0;
      headers = new RecordingHeaders();
      options = {
        downstreamApis: {
          TodoList: {
            baseUrl: `${api.baseUrl}/base/`,
            scopes: ['api://todo/access_as_user'],
            headers: { 'X-Configured': 'yes' },
            queryParameters: { api: '1' },
          },
          Daemon: { baseUrl: api.baseUrl, scopes: ['api://todo/.default'], requestAppToken: true },
          Anonymous: { baseUrl: api.baseUrl },
        },
        http: { transport, maxRedirects: 5 },
      } as unknown as IdentityWebOptions;
      service = new DownstreamApiService(
        options,
        headers as unknown as AuthorizationHeaderProvider,
        transports,
      );
    });

    it(`sends with ${transport}`, async () => {
      const seen = await service.getForUser<Seen>('Anonymous');
      // axios names itself in User-Agent; undici sends none.
      if (transport === 'axios') expect(seen.headers['user-agent']).toMatch(/^axios\//);
      else expect(seen.headers['user-agent']).toBeUndefined();
    });

    it('GETs for the user with the configured scopes, headers and query, and parses JSON', async () => {
      const seen = await service.getForUser<Seen>('TodoList', {
        relativePath: '/api/todolist',
        queryParameters: { q: 'a b&c=d', top: '5' },
      });
      expect(seen.method).toBe('GET');
      expect(seen.url).toBe('/base/api/todolist?api=1&q=a+b%26c%3Dd&top=5');
      expect(seen.headers.authorization).toBe('Bearer user-token');
      expect(seen.headers['x-configured']).toBe('yes');
      expect(seen.headers.accept).toBe('application/json');
      expect(headers.calls[0].scopes).toEqual(['api://todo/access_as_user']);
    });

    it('takes overrides as a mutator function, like the C# lambda, without changing the configuration', async () => {
      const seen = await service.getForUser<Seen>('TodoList', (o) => {
        o.relativePath = 'api/profile';
        o.headers!['X-Extra'] = '1';
      });
      expect(seen.url).toBe('/base/api/profile?api=1');
      expect(seen.headers['x-extra']).toBe('1');
      expect(options.downstreamApis.TodoList.relativePath).toBeUndefined();
      expect(options.downstreamApis.TodoList.headers).toEqual({ 'X-Configured': 'yes' });
    });

    it.each([
      ['postForUser', 'POST'],
      ['putForUser', 'PUT'],
      ['patchForUser', 'PATCH'],
      ['deleteForUser', 'DELETE'],
    ] as const)('%s sends an object as JSON with method %s', async (method, verb) => {
      const seen = (await service[method](
        'TodoList',
        { title: 'milk' },
        { relativePath: 'api/items/1' },
      )) as Seen;
      expect(seen.method).toBe(verb);
      expect(seen.headers['content-type']).toBe('application/json');
      expect(JSON.parse(seen.body)).toEqual({ title: 'milk' });
    });

    it('sends strings, Buffers and streams as given', async () => {
      const text = (await service.postForUser('Anonymous', 'hello', { relativePath: 'x' })) as Seen;
      expect(text.body).toBe('hello');
      expect(text.headers['content-type']).toMatch(/^text\/plain/);
      const bytes = (await service.postForUser('Anonymous', Buffer.from([1, 2, 3]), {
        contentType: 'application/x-bin',
      })) as Seen;
      expect(Buffer.from(bytes.body).length).toBe(3);
      expect(bytes.headers['content-type']).toBe('application/x-bin');
      const streamed = (await service.postForUser('Anonymous', Readable.from(['a', 'b', 'c']))) as Seen;
      expect(streamed.body).toBe('abc');
    });

    it('uses a custom serializer and deserializer', async () => {
      const result = await service.postForUser(
        'Anonymous',
        { n: 1 },
        {
          serializer: (input) => `n=${(input as { n: number }).n}`,
          contentType: 'application/x-www-form-urlencoded',
          deserializer: (body) => body.length,
        },
      );
      expect(typeof result).toBe('number');
      expect(api.seen[0].body).toBe('n=1');
    });

    it('deleteForUser with null input sends no body', async () => {
      const seen = (await service.deleteForUser('TodoList', null, { relativePath: 'api/items/123' })) as Seen;
      expect(seen.method).toBe('DELETE');
      expect(seen.body).toBe('');
    });

    it('answers text, binary and empty bodies as a string, a Buffer and undefined', async () => {
      expect(await service.getForUser('Anonymous', { relativePath: 'text' })).toBe('plain words');
      const binary = await service.getForUser<Buffer>('Anonymous', { relativePath: 'binary' });
      expect(Buffer.isBuffer(binary) && binary[1]).toBe(80);
      expect(await service.getForUser('Anonymous', { relativePath: 'empty' })).toBeUndefined();
    });

    it('calls without a token when the API has no scopes', async () => {
      const seen = await service.getForUser<Seen>('Anonymous');
      expect(seen.headers.authorization).toBeUndefined();
      expect(headers.calls).toHaveLength(0);
    });

    it('uses the app token for ...ForApp and for requestAppToken APIs in callApi', async () => {
      const forApp = await service.getForApp<Seen>('TodoList', { scopes: ['api://todo/.default'] });
      expect(forApp.headers.authorization).toBe('Bearer app-token');
      const raw = await service.callApi<Seen>('Daemon');
      expect(raw.body.headers.authorization).toBe('Bearer app-token');
    });

    it('passes acquireTokenOptions and an explicit user to token acquisition', async () => {
      const user = {
        homeAccountId: 'u.t',
        tenantId: 't',
        localAccountId: 'u',
        username: 'a@b',
        environment: 'x',
      };
      await service.getForUser('TodoList', {
        user,
        acquireTokenOptions: { tenant: 'other', forceRefresh: true },
      });
      expect(headers.calls[0].options).toMatchObject({
        user,
        acquireTokenOptions: { tenant: 'other', forceRefresh: true },
      });
    });

    it('lets customizeRequest change the request last', async () => {
      const seen = await service.getForUser<Seen>('Anonymous', {
        customizeRequest: (request) => {
          request.headers['x-signed'] = 'sig';
          request.url += '?late=1';
        },
      });
      expect(seen.headers['x-signed']).toBe('sig');
      expect(seen.url).toBe('/?late=1');
    });

    it('surfaces a non-2xx status with its headers and parsed body', async () => {
      const err = await service
        .getForUser('TodoList', { relativePath: '/status/404' })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DownstreamApiError);
      const error = err as DownstreamApiError;
      expect(error.status).toBe(404);
      expect(error.body).toEqual({ title: 'nope', status: 404 });
      expect(error.headers['content-type']).toBe('application/problem+json');
      expect(error.message).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/base\/status\/404 answered 404$/);
      expect(error.message).not.toContain('user-token');
    });

    it('callApiForUser returns non-2xx answers instead of throwing', async () => {
      const response = await service.callApiForUser('Anonymous', {
        relativePath: 'status/503',
        httpMethod: 'POST',
      });
      expect(response.status).toBe(503);
      expect(api.seen[0].method).toBe('POST');
    });

    it('answers a claims challenge once with a token for those claims', async () => {
      const body = await service.getForUser('TodoList', { relativePath: '/claims', queryParameters: {} });
      expect(body).toEqual({ ok: true });
      expect(headers.calls).toHaveLength(2);
      expect(JSON.parse(headers.calls[1].options.acquireTokenOptions!.claims!)).toEqual({
        access_token: { acrs: { essential: true, value: 'c1' } },
      });
    });

    it('retries a 401 without a claims challenge once, asking for a fresh token (regression: revoked tokens kept failing)', async () => {
      const err = await service
        .getForUser('TodoList', { relativePath: '/status/401' })
        .catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'downstream_api_error', status: 401 });
      expect(api.seen).toHaveLength(2);
      expect(headers.calls.map((c) => c.options.acquireTokenOptions?.forceRefresh)).toEqual([
        undefined,
        true,
      ]);
      expect(headers.calls[1].options.acquireTokenOptions?.claims).toBeUndefined();
    });

    it('does not retry a 401 without a token to replace, or with a stream body that cannot be sent twice', async () => {
      await service.callApiForUser('Anonymous', { relativePath: '/status/401' });
      await service.callApiForUser(
        'TodoList',
        { relativePath: '/status/401', httpMethod: 'POST' },
        Readable.from(['x']),
      );
      expect(api.seen).toHaveLength(2);
    });

    it('passes on, as it is, the ChallengeUserException of a retry whose claims need the user', async () => {
      headers.challengeOnClaims = true;
      const err = await service.getForUser('TodoList', { relativePath: '/claims' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ChallengeUserException);
      expect((err as ChallengeUserException).claims).toContain('acrs');
      expect((err as ChallengeUserException).message).toBe('MFA needed');
    });

    it.each([
      'Authorization',
      'cookie',
      'Host',
      'X-Forwarded-For',
      'x-forwarded-host',
      'Forwarded',
      'Connection',
    ])('refuses the reserved header %s in options', async (name) => {
      await expect(service.getForUser('Anonymous', { headers: { [name]: 'x' } })).rejects.toMatchObject({
        code: 'invalid_call',
      });
      expect(api.seen).toHaveLength(0);
    });

    it('refuses an absolute relativePath, which would send the token elsewhere', async () => {
      for (const relativePath of ['https://evil.example/x', '//evil.example/x']) {
        await expect(service.getForUser('TodoList', { relativePath })).rejects.toMatchObject({
          code: 'invalid_call',
        });
      }
      expect(headers.calls).toHaveLength(0);
    });

    it('reports an unreachable API without the request, so the token cannot reach a log', async () => {
      const closed = createServer();
      closed.listen(0, '127.0.0.1');
      await once(closed, 'listening');
      const port = (closed.address() as AddressInfo).port;
      await new Promise<void>((resolve) => closed.close(() => resolve()));
      const err = await service
        .getForUser('TodoList', { baseUrl: `http://127.0.0.1:${port}` })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DownstreamApiUnavailableError);
      expect(err).toMatchObject({ code: 'downstream_api_unavailable', networkCode: 'ECONNREFUSED' });
      expect(inspect(err, { depth: 10, showHidden: true })).not.toContain('user-token');
      expect(statusFor(err)).toBe(503);
    });

    it('gives up after TimeoutMs with an error the module answers 504', async () => {
      const err = await service
        .getForUser('TodoList', { relativePath: 'slow', timeoutMs: 50 })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DownstreamApiUnavailableError);
      expect(inspect(err, { depth: 10, showHidden: true })).not.toContain('user-token');
      expect(statusFor(err)).toBe(504);
    });

    it('stops when the caller aborts', async () => {
      const controller = new AbortController();
      const call = service.getForUser('TodoList', { relativePath: 'slow', signal: controller.signal });
      setTimeout(() => controller.abort(), 20);
      await expect(call).rejects.toMatchObject({
        code: 'downstream_api_unavailable',
        networkCode: 'ABORT_ERR',
      });
    });

    it('lets a mutator add headers and query parameters to an API that configures none', async () => {
      const seen = await service.getForUser<Seen>('Anonymous', (o) => {
        o.headers!['X-Id'] = '7';
        o.queryParameters!.page = '2';
      });
      expect(seen.headers['x-id']).toBe('7');
      expect(seen.url).toBe('/?page=2');
    });

    it('sends URLSearchParams as a form and an ArrayBuffer as bytes', async () => {
      const form = (await service.postForUser(
        'Anonymous',
        new URLSearchParams({ a: '1', b: 'x y' }),
      )) as Seen;
      expect(form.body).toBe('a=1&b=x+y');
      expect(form.headers['content-type']).toBe('application/x-www-form-urlencoded');
      const bytes = (await service.postForUser('Anonymous', new Uint8Array([65, 66]).buffer)) as Seen;
      expect(bytes.body).toBe('AB');
    });

    it('names the missing BaseUrl of an unknown API', async () => {
      await expect(service.getForUser('Nope')).rejects.toThrow('DownstreamApis:Nope:BaseUrl');
    });

    describe('redirects, followed by the library', () => {
      const to = (status: number, location: string) => ({
        relativePath: 'redirect',
        queryParameters: { status: String(status), location },
      });

      it('keeps the Authorization header on the same origin, without asking for another token', async () => {
        const seen = await service.getForUser<Seen>('TodoList', to(302, '/base/echo'));
        expect(seen.url).toBe('/base/echo');
        expect(seen.headers.authorization).toBe('Bearer user-token');
        expect(headers.calls).toHaveLength(1);
      });

      it('drops the Authorization header on a GET redirected to another origin', async () => {
        const seen = await service.getForUser<Seen>('TodoList', to(302, `${other.baseUrl}/landing`));
        expect(seen.url).toBe('/landing');
        expect(other.seen[0].headers.authorization).toBeUndefined();
        expect(other.seen[0].headers['x-configured']).toBe('yes');
      });

      it('refuses a POST redirected to another origin unless AllowCrossOriginRedirects, naming the key', async () => {
        const err = await service
          .postForUser('TodoList', { title: 'milk' }, to(307, `${other.baseUrl}/elsewhere?sig=secret`))
          .catch((e: unknown) => e);
        expect(err).toBeInstanceOf(DownstreamApiRedirectError);
        expect(err).toMatchObject({ code: 'downstream_api_error', status: 307, body: { moved: true } });
        expect((err as Error).message).toContain('DownstreamApis:TodoList:AllowCrossOriginRedirects');
        expect((err as Error).message).not.toContain('secret');
        expect(statusFor(err)).toBe(502);
        expect(other.seen).toHaveLength(0);

        const seen = await service.postForUser<unknown, Seen>(
          'TodoList',
          { title: 'milk' },
          { ...to(307, `${other.baseUrl}/elsewhere`), allowCrossOriginRedirects: true },
        );
        expect(seen.method).toBe('POST');
        expect(JSON.parse(seen.body)).toEqual({ title: 'milk' });
        expect(other.seen[0].headers.authorization).toBeUndefined();
      });

      it('resends the body on 307 and turns a POST into a GET without body on 303', async () => {
        const kept = await service.postForUser<unknown, Seen>('TodoList', 'hello', to(307, '/base/echo'));
        expect([kept.method, kept.body, kept.headers.authorization]).toEqual([
          'POST',
          'hello',
          'Bearer user-token',
        ]);
        const seen = await service.postForUser<unknown, Seen>('TodoList', 'hello', to(303, '/base/echo'));
        expect([seen.method, seen.body, seen.headers['content-type']]).toEqual(['GET', '', undefined]);
      });

      it('refuses to resend a stream body', async () => {
        await expect(
          service.postForUser('TodoList', Readable.from(['x']), to(307, '/base/echo')),
        ).rejects.toThrow(/stream/);
      });

      it('stops a loop after MaxRedirects hops with an error that says so', async () => {
        const err = await service.getForUser('TodoList', { relativePath: 'loop' }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(DownstreamApiRedirectError);
        expect((err as Error).message).toMatch(/more than 5 redirects.*DownstreamApis:TodoList:MaxRedirects/);
        expect(api.seen).toHaveLength(6);
        await service
          .getForUser('TodoList', { relativePath: 'loop', maxRedirects: 1 })
          .catch(() => undefined);
        expect(api.seen).toHaveLength(8);
      });

      it('returns the 3xx as it is with MaxRedirects 0', async () => {
        const response = await service.callApiForUser('TodoList', {
          ...to(302, '/base/echo'),
          maxRedirects: 0,
        });
        expect(response).toMatchObject({
          status: 302,
          headers: { location: '/base/echo' },
          body: { moved: true },
        });
        expect(api.seen).toHaveLength(1);
      });
    });
  },
);
