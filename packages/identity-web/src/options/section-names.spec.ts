import { base, CLIENT_ID, normalize, problems } from '../../test/support/normalize-options';

const B2C = {
  Instance: 'https://fabrikamb2c.b2clogin.com',
  ClientId: CLIENT_ID,
  Domain: 'fabrikamb2c.onmicrosoft.com',
  SignUpSignInPolicyId: 'B2C_1_susi',
};

describe('sections named by the app (azureAdSection, downstreamApiSections)', () => {
  it('reads the app registration from a nested key path, and environment variables reach it', () => {
    const { options } = normalize(
      { Identity: { B2C }, IdentityWeb: { AzureAdSection: 'Identity__B2C' } },
      { Identity__B2C__ClientSecret: 'from-the-environment' },
    );
    expect(options.azureAdSection).toBe('Identity:B2C');
    expect(options.azureAd.clientCredentials).toEqual([
      { sourceType: 'ClientSecret', clientSecret: 'from-the-environment' },
    ]);
  });

  it('warns that AzureAd is not read when azureAdSection names another section', () => {
    const { warnings } = normalize({ ...base(), AzureAdB2C: B2C, azureAdSection: 'AzureAdB2C' });
    expect(warnings).toEqual([
      'AzureAd is not read: azureAdSection names AzureAdB2C as the app registration section.',
    ]);
  });

  it.each([
    [
      'a section that is not there',
      { ...base(), azureAdSection: 'AzureAdB2C' },
      'AzureAdB2C is required: the app registration section that azureAdSection names (Instance, TenantId, ClientId...). ' +
        "This configuration has AzureAd, which looks like one: set azureAdSection: 'AzureAd' to read it, " +
        'as AddMicrosoftIdentityWebApp(Configuration, "AzureAd") does.',
    ],
    [
      'a name that is not a key path',
      { ...base(), azureAdSection: 'Azure Ad' },
      `AzureAdSection must be a configuration key path such as 'AzureAdB2C' or 'Apis:TodoList' (got "Azure Ad").`,
    ],
    [
      'an API section that is not there',
      { ...base(), downstreamApiSections: { TodoList: 'TodoList' } },
      'TodoList is required: downstreamApiSections names it as the section of the API TodoList.',
    ],
    [
      'an API given twice',
      {
        ...base(),
        DownstreamApis: { TodoList: { BaseUrl: 'https://a.example' } },
        TodoList: { BaseUrl: 'https://b.example' },
        downstreamApiSections: { TodoList: 'TodoList' },
      },
      "DownstreamApis:TodoList is also given by downstreamApiSections (TodoList: 'TodoList'): keep one of the two.",
    ],
  ])('refuses %s', (_name, input, message) => {
    expect(problems(input)).toEqual([message]);
  });

  it('reads an API from a nested section, naming its keys by their path', () => {
    const input = {
      ...base(),
      Apis: { TodoList: { BaseUrl: 'https://todo.example', Scopes: 'api://todo/read', Retries: 3 } },
      downstreamApiSections: { TodoList: 'Apis:TodoList' },
    };
    const { options, warnings } = normalize(input);
    expect(options.downstreamApis.TodoList).toEqual({
      baseUrl: 'https://todo.example',
      scopes: ['api://todo/read'],
    });
    expect(warnings).toEqual(['Apis:TodoList:Retries is not read by nest-identity-web; it is ignored.']);
  });
});
