import { Readable } from 'node:stream';
import type { Seen } from '../../test/downstream-api/support/echo-api';
import { describeDownstreamService } from '../../test/downstream-api/support/downstream-service.fixture';

// How requests are built and answers read. Errors and retries: downstream-api.service.errors.spec.ts;
// redirects: downstream-api.service.redirects.spec.ts.

describeDownstreamService((ctx, transport) => {
  it(`sends with ${transport}`, async () => {
    const seen = await ctx.service.getForUser<Seen>('Anonymous');
    // axios names itself in User-Agent; undici sends none.
    if (transport === 'axios') expect(seen.headers['user-agent']).toMatch(/^axios\//);
    else expect(seen.headers['user-agent']).toBeUndefined();
  });

  it('GETs for the user with the configured scopes, headers and query, and parses JSON', async () => {
    const seen = await ctx.service.getForUser<Seen>('TodoList', {
      relativePath: '/api/todolist',
      queryParameters: { q: 'a b&c=d', top: '5' },
    });
    expect(seen.method).toBe('GET');
    expect(seen.url).toBe('/base/api/todolist?api=1&q=a+b%26c%3Dd&top=5');
    expect(seen.headers.authorization).toBe('Bearer user-token');
    expect(seen.headers['x-configured']).toBe('yes');
    expect(seen.headers.accept).toBe('application/json');
    expect(ctx.headers.calls[0].scopes).toEqual(['api://todo/access_as_user']);
  });

  it('takes overrides as a mutator function, like the C# lambda, without changing the configuration', async () => {
    const seen = await ctx.service.getForUser<Seen>('TodoList', (o) => {
      o.relativePath = 'api/profile';
      o.headers!['X-Extra'] = '1';
    });
    expect(seen.url).toBe('/base/api/profile?api=1');
    expect(seen.headers['x-extra']).toBe('1');
    expect(ctx.options.downstreamApis.TodoList.relativePath).toBeUndefined();
    expect(ctx.options.downstreamApis.TodoList.headers).toEqual({ 'X-Configured': 'yes' });
  });

  it.each([
    ['postForUser', 'POST'],
    ['putForUser', 'PUT'],
    ['patchForUser', 'PATCH'],
    ['deleteForUser', 'DELETE'],
  ] as const)('%s sends an object as JSON with method %s', async (method, verb) => {
    const seen = (await ctx.service[method](
      'TodoList',
      { title: 'milk' },
      { relativePath: 'api/items/1' },
    )) as Seen;
    expect(seen.method).toBe(verb);
    expect(seen.headers['content-type']).toBe('application/json');
    expect(JSON.parse(seen.body)).toEqual({ title: 'milk' });
  });

  it('sends strings, Buffers and streams as given', async () => {
    const text = (await ctx.service.postForUser('Anonymous', 'hello', { relativePath: 'x' })) as Seen;
    expect(text.body).toBe('hello');
    expect(text.headers['content-type']).toMatch(/^text\/plain/);
    const bytes = (await ctx.service.postForUser('Anonymous', Buffer.from([1, 2, 3]), {
      contentType: 'application/x-bin',
    })) as Seen;
    expect(Buffer.from(bytes.body).length).toBe(3);
    expect(bytes.headers['content-type']).toBe('application/x-bin');
    const streamed = (await ctx.service.postForUser('Anonymous', Readable.from(['a', 'b', 'c']))) as Seen;
    expect(streamed.body).toBe('abc');
  });

  it('uses a custom serializer and deserializer', async () => {
    const result = await ctx.service.postForUser(
      'Anonymous',
      { n: 1 },
      {
        serializer: (input) => `n=${(input as { n: number }).n}`,
        contentType: 'application/x-www-form-urlencoded',
        deserializer: (body) => body.length,
      },
    );
    expect(typeof result).toBe('number');
    expect(ctx.api.seen[0].body).toBe('n=1');
  });

  it('deleteForUser with null input sends no body', async () => {
    const seen = (await ctx.service.deleteForUser('TodoList', null, {
      relativePath: 'api/items/123',
    })) as Seen;
    expect(seen.method).toBe('DELETE');
    expect(seen.body).toBe('');
  });

  it('answers text, binary and empty bodies as a string, a Buffer and undefined', async () => {
    expect(await ctx.service.getForUser('Anonymous', { relativePath: 'text' })).toBe('plain words');
    const binary = await ctx.service.getForUser<Buffer>('Anonymous', { relativePath: 'binary' });
    expect(Buffer.isBuffer(binary) && binary[1]).toBe(80);
    expect(await ctx.service.getForUser('Anonymous', { relativePath: 'empty' })).toBeUndefined();
  });

  it('calls without a token when the API has no scopes', async () => {
    const seen = await ctx.service.getForUser<Seen>('Anonymous');
    expect(seen.headers.authorization).toBeUndefined();
    expect(ctx.headers.calls).toHaveLength(0);
  });

  it('uses the app token for ...ForApp and for requestAppToken APIs in callApi', async () => {
    const forApp = await ctx.service.getForApp<Seen>('TodoList', { scopes: ['api://todo/.default'] });
    expect(forApp.headers.authorization).toBe('Bearer app-token');
    const raw = await ctx.service.callApi<Seen>('Daemon');
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
    await ctx.service.getForUser('TodoList', {
      user,
      acquireTokenOptions: { tenant: 'other', forceRefresh: true },
    });
    expect(ctx.headers.calls[0].options).toMatchObject({
      user,
      acquireTokenOptions: { tenant: 'other', forceRefresh: true },
    });
  });

  it('lets customizeRequest change the request last', async () => {
    const seen = await ctx.service.getForUser<Seen>('Anonymous', {
      customizeRequest: (request) => {
        request.headers['x-signed'] = 'sig';
        request.url += '?late=1';
      },
    });
    expect(seen.headers['x-signed']).toBe('sig');
    expect(seen.url).toBe('/?late=1');
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
    await expect(ctx.service.getForUser('Anonymous', { headers: { [name]: 'x' } })).rejects.toMatchObject({
      code: 'invalid_call',
    });
    expect(ctx.api.seen).toHaveLength(0);
  });

  it('refuses an absolute relativePath, which would send the token elsewhere', async () => {
    for (const relativePath of ['https://evil.example/x', '//evil.example/x']) {
      await expect(ctx.service.getForUser('TodoList', { relativePath })).rejects.toMatchObject({
        code: 'invalid_call',
      });
    }
    expect(ctx.headers.calls).toHaveLength(0);
  });

  it('encodes a path and query as the URL parser does (spaces, non-ASCII)', async () => {
    const seen = await ctx.service.getForUser<Seen>('Anonymous', {
      relativePath: 'a b/café',
      queryParameters: { q: 'x y' },
    });
    expect(seen.url).toBe('/a%20b/caf%C3%A9?q=x+y');
  });

  it('lets a mutator add headers and query parameters to an API that configures none', async () => {
    const seen = await ctx.service.getForUser<Seen>('Anonymous', (o) => {
      o.headers!['X-Id'] = '7';
      o.queryParameters!.page = '2';
    });
    expect(seen.headers['x-id']).toBe('7');
    expect(seen.url).toBe('/?page=2');
  });

  it('sends URLSearchParams as a form and an ArrayBuffer as bytes', async () => {
    const form = (await ctx.service.postForUser(
      'Anonymous',
      new URLSearchParams({ a: '1', b: 'x y' }),
    )) as Seen;
    expect(form.body).toBe('a=1&b=x+y');
    expect(form.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const bytes = (await ctx.service.postForUser('Anonymous', new Uint8Array([65, 66]).buffer)) as Seen;
    expect(bytes.body).toBe('AB');
  });

  it('names the missing BaseUrl of an unknown API', async () => {
    await expect(ctx.service.getForUser('Nope')).rejects.toThrow('DownstreamApis:Nope:BaseUrl');
  });
});
