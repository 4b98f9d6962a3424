import { InvalidConfigurationError } from '../errors';
import { IdentityWebConfiguration } from './identity-web.configuration';

const appsettings = {
  AzureAd: {
    ClientId: 'id',
    ClientCredentials: [{ SourceType: 'ClientSecret', ClientSecret: 'do-not-print' }],
  },
  DownstreamApis: {
    TodoList: {
      BaseUrl: 'https://localhost:5001',
      Scopes: ['api://todo/access_as_user', 'api://todo/write'],
    },
    GraphAPI: { Scopes: 'user.read  mail.read' },
    Odd: { Scopes: 42, Empty: '', Blank: [] },
  },
};

describe('IdentityWebConfiguration', () => {
  const configuration = IdentityWebConfiguration.from(appsettings, {});

  it('reads key paths case-insensitively, arrays by index', () => {
    expect(configuration.get('DownstreamApis:TodoList:Scopes')).toEqual([
      'api://todo/access_as_user',
      'api://todo/write',
    ]);
    expect(configuration.get('downstreamapis:todolist:scopes:1')).toBe('api://todo/write');
    expect(configuration.get('DownstreamApis__TodoList__BaseUrl')).toBe('https://localhost:5001');
    expect(configuration.get('DownstreamApis:Nope:Scopes')).toBeUndefined();
    expect(configuration.get('DownstreamApis:TodoList:Scopes:7')).toBeUndefined();
    expect(configuration.has('AzureAd:ClientId')).toBe(true);
    expect(configuration.has('AzureAd:TenantId')).toBe(false);
  });

  it('reaches camelCase options by the same PascalCase paths', () => {
    const camel = IdentityWebConfiguration.from(
      { azureAd: { clientId: 'c' }, downstreamApis: { todoList: { scopes: ['s'] } } },
      {},
    );
    expect(camel.get('AzureAd:ClientId')).toBe('c');
    expect(camel.getScopes('DownstreamApis:TodoList:Scopes')).toEqual(['s']);
  });

  it('sees environment overrides', () => {
    const overridden = IdentityWebConfiguration.from(appsettings, {
      DOWNSTREAMAPIS__TODOLIST__SCOPES__0: 'x',
    });
    expect(overridden.get('DownstreamApis:TodoList:Scopes')).toEqual(['x', 'api://todo/write']);
  });

  it('is read-only', () => {
    const scopes = configuration.get<string[]>('DownstreamApis:TodoList:Scopes')!;
    expect(() => scopes.push('x')).toThrow(TypeError);
  });

  describe('getScopes', () => {
    it('gives all entries of an array', () => {
      expect(configuration.getScopes('DownstreamApis:TodoList:Scopes')).toEqual([
        'api://todo/access_as_user',
        'api://todo/write',
      ]);
    });

    it('gives one entry for an indexed key (the seed guide form)', () => {
      expect(configuration.getScopes('DownstreamApis:TodoList:Scopes:0')).toEqual([
        'api://todo/access_as_user',
      ]);
    });

    it('splits a string on whitespace', () => {
      expect(configuration.getScopes('DownstreamApis:GraphAPI:Scopes')).toEqual(['user.read', 'mail.read']);
    });

    it.each([
      ['DownstreamApis:Missing:Scopes', 'DownstreamApis:Missing:Scopes is not in the configuration'],
      ['DownstreamApis:Odd:Scopes', 'DownstreamApis:Odd:Scopes must be a string or an array of strings'],
      ['DownstreamApis:Odd:Empty', 'DownstreamApis:Odd:Empty is empty'],
      ['DownstreamApis:Odd:Blank', 'DownstreamApis:Odd:Blank is empty'],
    ])('refuses %s, naming the key', (key, message) => {
      expect(() => configuration.getScopes(key)).toThrow(InvalidConfigurationError);
      expect(() => configuration.getScopes(key)).toThrow(message);
    });
  });

  it('does not print secrets when logged or serialised', () => {
    const { inspect } = jest.requireActual<typeof import('node:util')>('node:util');
    expect(inspect(configuration, { depth: 10 })).not.toContain('do-not-print');
    expect(JSON.stringify(configuration)).not.toContain('do-not-print');
  });

  it('refuses input that is not an object', () => {
    expect(() => IdentityWebConfiguration.from('AzureAd' as unknown as Record<string, unknown>, {})).toThrow(
      InvalidConfigurationError,
    );
  });
});
