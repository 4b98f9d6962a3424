import { DEFAULT_APPS, DEFAULT_USERS, GRAPH_APP_ID } from './default-directory';
import { Directory } from './directory';
import type { DirectoryConfig } from './directory.types';

describe('Directory consents given up front', () => {
  const consent = {
    user: DEFAULT_USERS.alice.username,
    clientId: DEFAULT_APPS.webApp.clientId,
    scopes: ['User.Read'],
  };
  const consentedScopes = (directory: Directory) =>
    directory.grantedScopeKeys(directory.findUser(consent.user)!, consent.clientId);

  // Regression guard: `grants` was the key's name before `consents`; existing config files use it.
  it.each<[string, DirectoryConfig]>([
    ['consents', { consents: [consent] }],
    ['grants (the former name)', { grants: [consent] }],
  ])('applies the %s key, and again after a reset', (_key, config) => {
    const directory = new Directory(config);
    expect([...consentedScopes(directory)]).toEqual([`${GRAPH_APP_ID}/user.read`]);
    directory.revokeConsent(consent);
    directory.reset();
    expect([...consentedScopes(directory)]).toEqual([`${GRAPH_APP_ID}/user.read`]);
  });

  it('names the entry and the scope it does not know', () => {
    expect(() => new Directory({ consents: [{ ...consent, scopes: ['api://nowhere/x'] }] })).toThrow(
      "consent.scopes: unknown scope 'api://nowhere/x'",
    );
  });
});
