import { inspect } from 'node:util';
import { freezeTree } from './configuration-tree';
import { normalizeResolvedTree } from './normalize-options';
import { OptionsValidationError } from '../errors/options-validation.error';
import {
  base,
  CLIENT_ID,
  normalize,
  problems,
  SECRET,
  withAzureAd,
} from '../../test/support/normalize-options';

describe('normalizeOptions', () => {
  describe('defaults and derived values', () => {
    it('fills in the defaults and derives the authority', () => {
      const { options, warnings } = normalize(base());
      expect(options.azureAd).toMatchObject({
        instance: 'https://login.microsoftonline.com/',
        tenantId: 'contoso.onmicrosoft.com',
        clientId: CLIENT_ID,
        authority: 'https://login.microsoftonline.com/contoso.onmicrosoft.com',
        callbackPath: '/signin-oidc',
        signedOutCallbackPath: '/signout-callback-oidc',
        postLogoutRedirectPath: '/',
        clientCredentials: [{ sourceType: 'ClientSecret', clientSecret: SECRET }],
        clientCapabilities: [],
        clockSkewSeconds: 120,
        httpTimeoutMs: 10_000,
        responseMode: 'query',
      });
      expect(options.accountRoutesPrefix).toBe('/account');
      expect(options.requireSignIn).toBe(true);
      expect(options.signOutMethods).toEqual(['GET', 'POST']);
      expect(options.downstreamApis).toEqual({});
      expect(options.session).toMatchObject({ cookieName: 'iw.sid', secure: 'auto', sameSite: 'lax' });
      expect(options.tokenCache).toEqual({
        hotIndexSize: 100_000,
        keyPrefix: 'iw',
        l1Enabled: true,
        l1LifetimeSeconds: 30,
        l1MaxEntries: 10_000,
        storeTimeoutMs: 250,
        userPartitionLifetimeSeconds: 14 * 24 * 3600,
        writeQueueSize: 10_000,
      });
      expect(warnings).toEqual([]);
    });

    it('accepts camelCase options and gives the same result as PascalCase', () => {
      const camel = normalize({
        azureAd: {
          tenantId: 'contoso.onmicrosoft.com',
          clientId: CLIENT_ID,
          clientCredentials: [{ sourceType: 'ClientSecret', clientSecret: SECRET }],
        },
      }).options;
      const pascal = normalize(base()).options;
      expect({ ...camel, session: { ...camel.session, secret: '' } }).toEqual({
        ...pascal,
        session: { ...pascal.session, secret: '' },
      });
    });

    it('matches keys in any casing at every level', () => {
      const { options } = normalize({
        AZUREAD: {
          tenantid: 'common',
          CLIENTID: CLIENT_ID,
          clientcredentials: [{ sourcetype: 'clientsecret', CLIENTSECRET: SECRET }],
        },
        downstreamapis: { Graph: { BASEURL: 'https://graph.microsoft.com/v1.0', scopes: ['user.read'] } },
      });
      expect(options.azureAd.authority).toBe('https://login.microsoftonline.com/common');
      expect(options.azureAd.clientCredentials).toEqual([
        { sourceType: 'ClientSecret', clientSecret: SECRET },
      ]);
      expect(options.downstreamApis.Graph).toEqual({
        baseUrl: 'https://graph.microsoft.com/v1.0',
        scopes: ['user.read'],
      });
    });

    it('prints without secrets (console.log, util.inspect, JSON.stringify) while the library still reads them', () => {
      const sessionSecret = 'a-session-secret-that-must-never-be-printed';
      const certificate = 'TUlJQ2RqQ0NBbDZnQXdJQkFnSVFkZW1v';
      const { options } = normalize({
        ...withAzureAd({
          ClientCredentials: [
            { SourceType: 'ClientSecret', ClientSecret: SECRET },
            {
              SourceType: 'Base64Encoded',
              Base64EncodedValue: certificate,
              CertificatePassword: 'pfx-password',
            },
          ],
        }),
        session: { secret: sessionSecret },
      });
      const printed = [
        inspect(options, { depth: Infinity }),
        inspect(options),
        inspect(options.azureAd.clientCredentials),
        JSON.stringify(options),
        JSON.stringify(options.session),
      ];
      for (const text of printed) {
        for (const secret of [SECRET, sessionSecret, certificate, 'pfx-password'])
          expect(text).not.toContain(secret);
      }
      expect(printed[0]).toContain("clientSecret: '[redacted]'");
      expect(JSON.parse(printed[3])).toMatchObject({
        azureAd: {
          clientId: CLIENT_ID,
          clientCredentials: [
            { sourceType: 'ClientSecret', clientSecret: '[redacted]' },
            { base64EncodedValue: '[redacted]', certificatePassword: '[redacted]' },
          ],
        },
        session: { secret: '[redacted]', cookieName: 'iw.sid' },
      });
      // Reads, copies and key lists still see the values.
      expect(options.azureAd.clientCredentials[0].clientSecret).toBe(SECRET);
      expect({ ...options.azureAd.clientCredentials[1] }.certificatePassword).toBe('pfx-password');
      expect(options.session.secret).toBe(sessionSecret);
      expect(Object.keys(options.session)).not.toContain('toJSON');
      expect(Object.isFrozen(options.azureAd.clientCredentials[0])).toBe(true);
    });

    it('keeps stores as given and freezes the rest', () => {
      class Store {
        entries = new Map<string, string>();
      }
      const store = new Store();
      const { options } = normalize({ ...base(), tokenCache: { store, hotIndexSize: 10 } });
      expect(options.tokenCache.store).toBe(store);
      expect(Object.isFrozen(options.azureAd)).toBe(true);
      expect(Object.isFrozen(options.azureAd.clientCredentials)).toBe(true);
      expect(Object.isFrozen(store)).toBe(false);
    });

    it('does not modify its input', () => {
      const input = base();
      const copy = JSON.parse(JSON.stringify(input)) as unknown;
      normalize(input, { AzureAd__ClientId: 'other' });
      expect(input).toEqual(copy);
    });
  });

  describe('environment overrides', () => {
    it('win over the input, case-insensitively', () => {
      const { options } = normalize(
        {
          ...base(),
          DownstreamApis: { TodoList: { BaseUrl: 'https://localhost:5001', Scopes: ['a', 'b'] } },
        },
        {
          azuread__tenantid: 'fabrikam.onmicrosoft.com',
          DownstreamApis__TodoList__Scopes__0: 'api://todo/override',
          IDENTITYWEB__ACCOUNTROUTESPREFIX: '/me',
        },
      );
      expect(options.azureAd.tenantId).toBe('fabrikam.onmicrosoft.com');
      expect(options.downstreamApis.TodoList?.scopes).toEqual(['api://todo/override', 'b']);
      expect(options.accountRoutesPrefix).toBe('/me');
    });

    it('are not applied again to an already-resolved tree (normalizeResolvedTree), which stays unchanged', () => {
      const tree = freezeTree(base());
      const options = normalizeResolvedTree(
        tree,
        { AzureAd__TenantId: 'fabrikam.onmicrosoft.com' },
        { warn: () => {} },
      );
      expect(options.azureAd.tenantId).toBe('contoso.onmicrosoft.com');
      expect(options.azureAd.clientCredentials[0]?.clientSecret).toBe(SECRET);
      expect(tree).toEqual(base());
    });

    it('can supply what the file leaves out (secrets kept out of source control)', () => {
      const { options } = normalize(withAzureAd({ ClientCredentials: [{ SourceType: 'ClientSecret' }] }), {
        AzureAd__ClientCredentials__0__ClientSecret: 'from-env',
      });
      expect(options.azureAd.clientCredentials[0]?.clientSecret).toBe('from-env');
    });
  });

  describe('validation', () => {
    it('refuses input that is not an object', () => {
      expect(problems(undefined)).toEqual([expect.stringMatching(/^\(root\) must be an object/)]);
    });

    it('never puts a secret in a message', () => {
      const lines = problems(
        withAzureAd({
          ClientId: undefined,
          ClientCredentials: [{ SourceType: 'ClientSecret', ClientSecret: 42 }],
        }),
      );
      expect(lines).toContainEqual('AzureAd:ClientCredentials:0:ClientSecret must be a non-empty string.');
      const session = problems({ ...base(), session: { secret: 'short-but-secret' } });
      expect(session.join('\n')).not.toContain('short-but-secret');
    });

    it('exposes the problems and the first path on the error', () => {
      let error: OptionsValidationError | undefined;
      try {
        normalize({
          AzureAd: { TenantId: 'common' },
          DownstreamApis: { GraphAPI: { Scopes: ['User.Read'] } },
        });
      } catch (err) {
        error = err as OptionsValidationError;
      }
      expect(error?.path).toBe('AzureAd:ClientId');
      expect(error?.problems.map((p) => p.path)).toEqual(['AzureAd:ClientId', 'AzureAd:ClientCredentials']);
    });
  });
});
