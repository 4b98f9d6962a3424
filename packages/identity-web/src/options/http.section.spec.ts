import { base, normalize, problems } from '../../test/support/normalize-options';

describe('IdentityWeb:Http and the transport keys of a downstream API', () => {
  it('defaults to axios and 5 redirects', () => {
    expect(normalize(base()).options.http).toEqual({ transport: 'axios', maxRedirects: 5 });
  });

  it('reads the transport in any casing, from IdentityWeb and per API, as environment variables give it', () => {
    const { options } = normalize(
      {
        ...base(),
        IdentityWeb: { Http: { Transport: 'Undici', MaxRedirects: '2' } },
        DownstreamApis: {
          TodoList: {
            BaseUrl: 'https://todo.example',
            Scopes: ['api://todo/access_as_user'],
            Transport: 'AXIOS',
            MaxRedirects: 0,
            AllowCrossOriginRedirects: 'true',
          },
        },
      },
      {},
    );
    expect(options.http).toEqual({ transport: 'undici', maxRedirects: 2 });
    expect(options.downstreamApis.TodoList).toMatchObject({
      transport: 'axios',
      maxRedirects: 0,
      allowCrossOriginRedirects: true,
    });
  });

  it('refuses an unknown transport or a negative redirect count, naming the key', () => {
    expect(
      problems({
        ...base(),
        IdentityWeb: { Http: { Transport: 'fetch', MaxRedirects: -1 } },
        DownstreamApis: { TodoList: { BaseUrl: 'https://todo.example', Transport: 'got' } },
      }),
    ).toEqual([
      expect.stringMatching(/^DownstreamApis:TodoList:Transport .*axios.*undici/),
      expect.stringMatching(/^IdentityWeb:Http:Transport .*axios.*undici/),
      expect.stringMatching(/^IdentityWeb:Http:MaxRedirects /),
    ]);
  });
});
