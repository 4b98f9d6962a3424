import {
  IdentityWebConfiguration,
  InvalidConfigurationError,
  normalizeOptions,
  type IdentityWebOptions,
} from 'nest-identity-web';
import type { IdentityWebGraphModuleOptions } from './graph.options';
import { resolveGraphOptions } from './resolve-graph-options';

const azureAd = {
  Instance: 'https://login.microsoftonline.com/',
  TenantId: 'common',
  ClientId: '11111111-2222-3333-4444-555555555555',
  ClientCredentials: [{ SourceType: 'ClientSecret', ClientSecret: 'app-secret' }],
};

/** The configuration and the validated options of one appsettings tree, as IdentityWebModule builds them. */
function configuration(
  graph?: Record<string, unknown>,
  section = 'GraphAPI',
  env: Record<string, string> = {},
  more: Record<string, unknown> = {},
): { configuration: IdentityWebConfiguration; options: IdentityWebOptions } {
  const input = {
    AzureAd: azureAd,
    IdentityWeb: { Session: { Secret: 'a-test-session-secret-of-32-characters+' } },
    DownstreamApis: graph ? { [section]: graph } : {},
    ...more,
  };
  const config = IdentityWebConfiguration.from(input, env);
  const quiet = { warn: () => undefined };
  return {
    configuration: config,
    options: normalizeOptions(config.get<Record<string, unknown>>('') ?? {}, {}, quiet),
  };
}

function resolve(options: IdentityWebGraphModuleOptions, settings = configuration()) {
  return resolveGraphOptions(options, settings.configuration, settings.options);
}

describe('resolveGraphOptions', () => {
  it('defaults to Microsoft Graph v1.0 and User.Read, with no custom host', () => {
    const resolved = resolve({});
    expect(resolved).toMatchObject({
      baseUrl: 'https://graph.microsoft.com',
      version: 'v1.0',
      scopes: ['User.Read'],
      requestAppToken: false,
      appScope: 'https://graph.microsoft.com/.default',
      timeoutMs: 30_000,
    });
    expect([...resolved.customHosts]).toEqual([]);
  });

  it('reads DownstreamApis:GraphAPI (any casing) and lets explicit options win', () => {
    const config = configuration({
      baseurl: 'https://graph.microsoft.us/beta',
      scopes: 'User.Read Mail.Read',
    });
    expect(resolve({}, config)).toMatchObject({
      baseUrl: 'https://graph.microsoft.us',
      version: 'beta',
      scopes: ['User.Read', 'Mail.Read'],
      appScope: 'https://graph.microsoft.us/.default',
    });
    expect(resolve({ scopes: ['Mail.Send'], requestAppToken: true }, config)).toMatchObject({
      scopes: ['Mail.Send'],
      requestAppToken: true,
    });
  });

  it('reads another section when configurationSection names it', () => {
    const config = configuration(
      { BaseUrl: 'https://graph.microsoft.com/beta', RequestAppToken: true },
      'Beta',
    );
    expect(resolve({ configurationSection: 'DownstreamApis:Beta' }, config)).toMatchObject({
      version: 'beta',
      requestAppToken: true,
    });
  });

  it('makes a non-Microsoft host a bare custom host (no port), so the Graph client still sends the token', () => {
    const resolved = resolve({ baseUrl: 'https://localhost:8443/v1.0' }, configuration());
    expect(resolved.baseUrl).toBe('https://localhost:8443');
    expect([...resolved.customHosts]).toEqual(['localhost']);
    expect(resolved.appScope).toBe('https://graph.microsoft.com/.default');
  });

  it.each([
    ['http://graph.microsoft.com/v1.0', /must be an https URL/],
    ['https://graph.microsoft.com', /must end with the API version/],
    ['https://graph.microsoft.com/v1.0?x=1', /must not carry a query/],
  ])('refuses BaseUrl %s naming the key path', (baseUrl, message) => {
    const attempt = () => resolve({}, configuration({ BaseUrl: baseUrl }));
    expect(attempt).toThrow(InvalidConfigurationError);
    expect(attempt).toThrow(/^DownstreamApis:GraphAPI:BaseUrl /);
    expect(attempt).toThrow(message);
  });

  it('names the option, not the section, when the bad value was passed to forRoot', () => {
    expect(() => resolve({ scopes: [] }, configuration())).toThrow(
      /^IdentityWebGraphModule options\.scopes is empty/,
    );
    expect(() => resolve({ appScope: 'User.Read.All' }, configuration())).toThrow(
      /options\.appScope must be a resource's "\/\.default" scope/,
    );
    expect(() => resolve({ timeoutMs: 0 }, configuration())).toThrow(/options\.timeoutMs/);
  });

  it('refuses a BaseUrl given to forRoot that is not a URL, naming the option', () => {
    expect(() => resolve({ baseUrl: 'not a url' })).toThrow(
      /^IdentityWebGraphModule options\.baseUrl must be an absolute URL/,
    );
  });

  it('takes RequestAppToken=True from an environment variable, as IdentityWebModule validated it', () => {
    const settings = configuration({ Scopes: 'User.Read.All' }, 'GraphAPI', {
      DownstreamApis__GraphAPI__RequestAppToken: 'True',
    });
    expect(settings.options.downstreamApis.GraphAPI.requestAppToken).toBe(true);
    expect(resolve({}, settings)).toMatchObject({ requestAppToken: true, scopes: ['User.Read.All'] });
  });

  it('reads a DownstreamApis section from the validated options, matching its name in any casing', () => {
    const validated = { downstreamApis: { GraphAPI: { requestAppToken: true, scopes: ['Mail.Read'] } } };
    const empty = IdentityWebConfiguration.from({ AzureAd: azureAd }, {});
    expect(
      resolveGraphOptions({ configurationSection: 'downstreamapis__graphapi' }, empty, validated),
    ).toMatchObject({
      requestAppToken: true,
      scopes: ['Mail.Read'],
    });
  });

  it('splits and de-duplicates scopes as IdentityWebConfiguration.getScopes does, from options and from the section', () => {
    expect(resolve({ scopes: ' Mail.Read  User.Read Mail.Read ' }).scopes).toEqual([
      'Mail.Read',
      'User.Read',
    ]);
    const settings = configuration({ Scopes: ['User.Read Mail.Read', 'User.Read'] });
    expect(resolve({}, settings).scopes).toEqual(['User.Read', 'Mail.Read']);
    expect(() => resolve({}, configuration({ Scopes: '' }))).toThrow(
      /^DownstreamApis:GraphAPI:Scopes is empty/,
    );
  });

  it('reads a section outside DownstreamApis from the configuration: RequestAppToken in any casing, else refused', () => {
    const graph = (requestAppToken: string) =>
      configuration(
        undefined,
        'GraphAPI',
        {},
        {
          Graph: {
            BaseUrl: 'https://graph.microsoft.com/beta',
            Scopes: 'Mail.Read',
            RequestAppToken: requestAppToken,
          },
        },
      );
    expect(resolve({ configurationSection: 'Graph' }, graph('TRUE'))).toMatchObject({
      version: 'beta',
      scopes: ['Mail.Read'],
      requestAppToken: true,
    });
    expect(resolve({ configurationSection: 'Graph' }, graph('False')).requestAppToken).toBe(false);
    expect(() => resolve({ configurationSection: 'Graph' }, graph('yes'))).toThrow(
      /^Graph:RequestAppToken must be true or false/,
    );
  });
});
