import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadAppSettings, OptionsValidationError } from 'nest-identity-web';
import { normalize, problems } from '../support/normalize-options';

/** The folder of one appsettings shape, next to this file. */
const folder = (name: string) => join(__dirname, name);

/** `loadAppSettings` for one folder, with only `env` as the environment. */
function load(name: string, env: Record<string, string> = {}, environment?: string) {
  return loadAppSettings({ directory: folder(name), env, environment });
}

/** The lines of the `OptionsValidationError` loading `name` throws. */
function loadProblems(name: string, environment?: string): string[] {
  try {
    load(name, {}, environment);
  } catch (err) {
    expect(err).toBeInstanceOf(OptionsValidationError);
    return (err as Error).message.split('\n');
  }
  throw new Error('expected the files to be refused');
}

describe('appsettings files as Microsoft.Identity.Web apps have them, read by loadAppSettings', () => {
  describe('syntax .NET accepts (regression: seven of ten real files failed JSON.parse)', () => {
    it('reads a file with a byte-order mark, comments and trailing commas', () => {
      expect(readFileSync(join(folder('web-app-calls-graph'), 'appsettings.json'))[0]).toBe(0xef);
      expect(() => JSON.parse(readFileSync(join(folder('web-app-calls-graph'), 'appsettings.json'), 'utf8'))).toThrow();
      const settings = load('web-app-calls-graph');
      expect(settings.AzureAd).toMatchObject({ Instance: 'https://login.microsoftonline.com/', Domain: 'contoso.onmicrosoft.com' });
      expect(settings.AllowedHosts).toBe('*');
      const { options, warnings } = normalize(settings);
      expect(options.downstreamApis.GraphAPI!.scopes).toEqual(['user.read', 'mail.read']);
      expect(warnings).toEqual([]);
    });

    it('layers appsettings.{environment}.json over it, key by key, then environment variables', () => {
      const settings = load('web-app-calls-graph', {
        NODE_ENV: 'development',
        AzureAd__ClientCredentials__0__ClientSecret: 'from-the-environment',
        Logging__LogLevel__Default: 'Warning',
      });
      expect(settings.AzureAd).toMatchObject({
        Instance: 'https://localhost:8443/',
        TenantId: '7c3b6d2e-5a41-4f0e-9b8d-2c1f0a6e4d53',
        ClientCredentials: [{ SourceType: 'ClientSecret', ClientSecret: 'from-the-environment' }],
      });
      expect(settings.DownstreamApis).toEqual({
        GraphAPI: { BaseUrl: 'https://localhost:8443/v1.0', Scopes: 'user.read mail.read' },
      });
      expect(settings.Logging).toEqual({
        LogLevel: { Default: 'Warning', 'Microsoft.AspNetCore': 'Warning' },
      });
    });

    it('picks the environment from ASPNETCORE_ENVIRONMENT before NODE_ENV, and Production by default', () => {
      const development = { ASPNETCORE_ENVIRONMENT: 'Development', NODE_ENV: 'production' };
      expect(load('web-app-calls-graph', development).AzureAd).toMatchObject({ Instance: 'https://localhost:8443/' });
      expect(load('web-app-calls-graph').AzureAd).toMatchObject({ Instance: 'https://login.microsoftonline.com/' });
    });
  });

  describe('refused, naming the file, line and column', () => {
    it('a missing comma', () => {
      expect(loadProblems('missing-comma')).toEqual([
        `${join(folder('missing-comma'), 'appsettings.json')}:5:5 expected ',' between entries.`,
      ]);
    });

    it('a key given twice in different casings, which .NET refuses', () => {
      expect(loadProblems('repeated-key')).toEqual([
        `${join(folder('repeated-key'), 'appsettings.json')}:5:5 repeats the key "clientid" (keys are case-insensitive): .NET refuses the file.`,
      ]);
    });

    it('a syntax error in the environment file, named as that file', () => {
      expect(loadProblems('broken-environment-file', 'Staging')).toEqual([
        `${join(folder('broken-environment-file'), 'appsettings.Staging.json')}:3:33 expected a property name in double quotes.`,
      ]);
    });

    it('a folder without appsettings.json', () => {
      expect(loadProblems('no-such-folder')).toEqual([
        expect.stringMatching(/no-such-folder\/appsettings\.json was not found: loadAppSettings reads appsettings\.json/),
      ]);
    });
  });

  describe('sections named as the app chose', () => {
    it('reads a B2C app from AzureAdB2C with azureAdSection, and needs no credential to sign users in', () => {
      const { options, warnings } = normalize({ ...load('b2c-sign-in-only'), azureAdSection: 'AzureAdB2C' });
      expect(options.azureAd).toMatchObject({
        authority: 'https://fabrikamb2c.b2clogin.com/fabrikamb2c.onmicrosoft.com/b2c_1_susi',
        signedOutCallbackPath: '/signout/B2C_1_susi',
        clientCredentials: [],
      });
      expect(options.azureAdSection).toBe('AzureAdB2C');
      expect(warnings).toEqual([]);
    });

    it('says which setting reads AzureAdB2C when azureAdSection is not given', () => {
      expect(problems(load('b2c-sign-in-only'))).toEqual([
        'AzureAd is required: the app registration section (Instance, TenantId, ClientId, ClientCredentials). ' +
          "This configuration has AzureAdB2C, which looks like one: set azureAdSection: 'AzureAdB2C' to read it, " +
          'as AddMicrosoftIdentityWebApp(Configuration, "AzureAdB2C") does.',
      ]);
    });

    it('registers an API from its own top-level section, and the credential from AzureAdB2C__ClientSecret', () => {
      const settings = load('b2c-calls-api', { AzureAdB2C__ClientSecret: 'from-the-environment' });
      const { options, warnings } = normalize({
        ...settings,
        azureAdSection: 'AzureAdB2C',
        downstreamApiSections: { TodoList: 'TodoList' },
      });
      expect(options.downstreamApis.TodoList).toEqual({
        baseUrl: 'https://localhost:44332',
        relativePath: 'api/todolist',
        scopes: ['https://fabrikamb2c.onmicrosoft.com/tasks/read'],
      });
      expect(options.azureAd.clientCredentials).toEqual([
        { sourceType: 'ClientSecret', clientSecret: 'from-the-environment' },
      ]);
      expect(warnings).toEqual([]);
    });

    it('requires the credential an API needs, naming the section the API came from', () => {
      // The file has "ClientSecret": "": the message names the key the user wrote.
      expect(
        problems({ ...load('b2c-calls-api'), azureAdSection: 'AzureAdB2C', downstreamApiSections: { TodoList: 'TodoList' } }),
      ).toEqual([expect.stringMatching(/^AzureAdB2C:ClientSecret is empty: TodoList calls an API with tokens/)]);
    });

    it('warns about an API section nothing reads (regression: TodoList was dropped silently); Graph is read by its package', () => {
      const { options, warnings } = normalize(load('own-api-sections'));
      expect(options.downstreamApis).toEqual({});
      expect(warnings).toEqual([
        "TodoList looks like a downstream API but nothing reads it: register it with downstreamApiSections: { TodoList: 'TodoList' }, " +
          'as AddDownstreamApi("TodoList", Configuration.GetSection("TodoList")) does.',
      ]);
    });

    it('registers TodoList and MicrosoftGraph under the names the app gives them', () => {
      const { options, warnings } = normalize({
        ...load('own-api-sections'),
        IdentityWeb: { DownstreamApiSections: { TodoList: 'TodoList', GraphAPI: 'MicrosoftGraph' } },
      });
      expect(Object.keys(options.downstreamApis)).toEqual(['TodoList', 'GraphAPI']);
      expect(options.downstreamApis.GraphAPI!.scopes).toEqual(['user.read']);
      expect(warnings).toEqual([]);
    });
  });

  it('Entra External ID: completes a ciamlogin.com authority with its onmicrosoft.com tenant', () => {
    const { options, warnings } = normalize(load('ciam'));
    expect(options.azureAd.authority).toBe('https://contoso.ciamlogin.com/contoso.onmicrosoft.com');
    expect(warnings).toEqual([]);
  });

  it('Authority with Instance and TenantId: Instance and TenantId win, with a warning', () => {
    const { options, warnings } = normalize(load('authority-conflict'));
    expect(options.azureAd.authority).toBe('https://login.microsoftonline.com/7c3b6d2e-5a41-4f0e-9b8d-2c1f0a6e4d53');
    expect(warnings).toEqual([expect.stringMatching(/^AzureAd:Authority is ignored: Instance and TenantId are given/)]);
  });

  it('warns once per key it does not read: Microsoft.Identity.Web keys it does not support, and misspellings', () => {
    const { warnings } = normalize(load('unsupported-keys'));
    expect(warnings).toEqual([
      'AzureAd:ExtraQueryParameters is a Microsoft.Identity.Web setting that nest-identity-web does not support (extra parameters on the authorize request); it is ignored.',
      'DownstreamApis:TodoList:AcquireTokenOptions:ExtraQueryParameters is a Microsoft.Identity.Web setting that nest-identity-web does not support (extra parameters on the token request); it is ignored.',
      'DownstreamApis:TodoList:AcquireTokenOptions:LongRunningWebApiSessionKey is a Microsoft.Identity.Web setting that nest-identity-web does not support (long-running on-behalf-of sessions); it is ignored.',
      "DownstreamApis:TodoList:AcquireTokenOptions:ManagedIdentity is a Microsoft.Identity.Web setting that nest-identity-web does not support (tokens come from the app registration's client credentials); it is ignored.",
      'IdentityWeb:Session:SamSite is not read by nest-identity-web (did you mean SameSite?); it is ignored.',
      'IdentityWeb:TokenCache:HotIndexSise is not read by nest-identity-web (did you mean HotIndexSize?); it is ignored.',
    ]);
  });
});
