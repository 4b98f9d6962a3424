import { base, normalize, problems } from '../../test/support/normalize-options';

describe('DownstreamApis', () => {
  describe('reading', () => {
    it('reads downstream APIs: scopes as a string, methods in any casing, booleans and maps from strings', () => {
      const input = {
        ...base(),
        DownstreamApi: { BaseUrl: 'https://graph.microsoft.com/v1.0', Scopes: 'user.read mail.read' },
        DownstreamApis: {
          TodoList: {
            BaseUrl: 'https://localhost:5001',
            RelativePath: 'api/todolist',
            Scopes: ['api://todo/access_as_user'],
            HttpMethod: 'Get',
            RequestAppToken: 'false',
            QueryParameters: { top: 5 },
            Headers: { 'X-Trace': 'on' },
            AcquireTokenOptions: { Tenant: 'fabrikam.com', ForceRefresh: 'TRUE' },
          },
        },
      };
      const { options } = normalize(input);
      expect(options.downstreamApis).toEqual({
        DownstreamApi: { baseUrl: 'https://graph.microsoft.com/v1.0', scopes: ['user.read', 'mail.read'] },
        TodoList: {
          baseUrl: 'https://localhost:5001',
          relativePath: 'api/todolist',
          scopes: ['api://todo/access_as_user'],
          httpMethod: 'GET',
          requestAppToken: false,
          queryParameters: { top: '5' },
          headers: { 'X-Trace': 'on' },
          acquireTokenOptions: { tenant: 'fabrikam.com', forceRefresh: true },
        },
      });
    });

    it('reads scopes keyed by index, as .NET configuration binds arrays, naming an entry by its index', () => {
      const api = {
        BaseUrl: 'https://localhost:5001',
        Scopes: { 0: 'api://todo/read', 1: 'api://todo/write' },
      };
      expect(
        normalize({ ...base(), DownstreamApis: { TodoList: api } }).options.downstreamApis.TodoList?.scopes,
      ).toEqual(['api://todo/read', 'api://todo/write']);
      expect(problems({ ...base(), DownstreamApis: { TodoList: { Scopes: { 0: 'a', 1: '' } } } })).toEqual([
        expect.stringMatching(/^DownstreamApis:TodoList:Scopes:1 must be a non-empty string/),
      ]);
    });

    it('registers the legacy single DownstreamApi section under its name, beside the named ones', () => {
      const { options } = normalize({
        ...base(),
        downstreamApi: { baseUrl: 'https://graph.microsoft.com/v1.0' },
        downstreamApis: { TodoList: { baseUrl: 'https://localhost:5001' } },
      });
      expect(Object.keys(options.downstreamApis)).toEqual(['DownstreamApi', 'TodoList']);
    });
  });

  describe('validation', () => {
    it.each([
      [
        'BaseUrl relative',
        { BaseUrl: 'api/x' },
        /^DownstreamApis:TodoList:BaseUrl must be an absolute http\(s\) URL/,
      ],
      [
        'BaseUrl javascript',
        { BaseUrl: 'javascript:alert(1)' },
        /^DownstreamApis:TodoList:BaseUrl must be an absolute http\(s\) URL/,
      ],
      [
        'Scopes not strings',
        { Scopes: ['a', 3] },
        /^DownstreamApis:TodoList:Scopes:1 must be a non-empty string \(got 3\)/,
      ],
      [
        'Scopes an object',
        { Scopes: { a: 1 } },
        /^DownstreamApis:TodoList:Scopes must be an array of strings/,
      ],
      [
        'HttpMethod unknown',
        { HttpMethod: 'FETCH' },
        /^DownstreamApis:TodoList:HttpMethod must be one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS/,
      ],
      [
        'RequestAppToken',
        { RequestAppToken: 'yes' },
        /^DownstreamApis:TodoList:RequestAppToken must be true or false/,
      ],
      ['Headers', { Headers: { a: { b: 1 } } }, /^DownstreamApis:TodoList:Headers:a must be a string/],
    ])('downstream API: %s is refused', (_name, api, message) => {
      expect(problems({ ...base(), DownstreamApis: { TodoList: api } })).toEqual([
        expect.stringMatching(message),
      ]);
    });

    it('refuses a downstream API that is not a section', () => {
      expect(problems({ ...base(), DownstreamApis: { TodoList: 'https://x' } })).toEqual([
        expect.stringMatching(/^DownstreamApis:TodoList must be a section/),
      ]);
    });
  });

  describe('warnings', () => {
    it.each([
      [
        'an http downstream API outside localhost',
        { ...base(), DownstreamApis: { A: { BaseUrl: 'http://api.example' } } },
        /^DownstreamApis:A:BaseUrl uses plain http outside localhost/,
      ],
      [
        'an unknown downstream API key, naming the key it may be a misspelling of',
        { ...base(), DownstreamApis: { A: { BaseUri: 'https://x' } } },
        /^DownstreamApis:A:BaseUri is not read by nest-identity-web \(did you mean BaseUrl\?\); it is ignored\.$/,
      ],
      [
        'a Microsoft.Identity.Web key it does not support',
        { ...base(), DownstreamApis: { A: { ProtocolScheme: 'Pop' } } },
        /^DownstreamApis:A:ProtocolScheme is a Microsoft.Identity.Web setting that nest-identity-web does not support \(calls always send Bearer tokens\); it is ignored\.$/,
      ],
      [
        'an AcquireTokenOptions key it does not support',
        {
          ...base(),
          DownstreamApis: { A: { AcquireTokenOptions: { ExtraQueryParameters: { slice: 'x' } } } },
        },
        /^DownstreamApis:A:AcquireTokenOptions:ExtraQueryParameters is a Microsoft.Identity.Web setting that nest-identity-web does not support \(extra parameters on the token request\)/,
      ],
      [
        'an unknown AcquireTokenOptions key',
        { ...base(), DownstreamApis: { A: { AcquireTokenOptions: { Tennant: 'x' } } } },
        /^DownstreamApis:A:AcquireTokenOptions:Tennant is not read by nest-identity-web \(did you mean Tenant\?\)/,
      ],
      [
        'app-token scopes without /.default',
        { ...base(), DownstreamApis: { A: { RequestAppToken: true, Scopes: ['user.read'] } } },
        /^DownstreamApis:A:Scopes should be '<resource>\/.default'/,
      ],
    ])('warns about %s', (_name, input, message) => {
      expect(normalize(input).warnings).toEqual([expect.stringMatching(message)]);
    });
  });
});
