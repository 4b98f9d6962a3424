import type { AppConfig, TenantConfig, UserConfig } from './directory.types';

/**
 * The default tenant's id (Contoso).
 *
 * @example
 * ```ts
 * expect(claims.tid).toBe(DEFAULT_TENANT_ID);
 * ```
 */
export const DEFAULT_TENANT_ID = '7c3b6d2e-5a41-4f0e-9b8d-2c1f0a6e4d53';

/**
 * A second tenant (Fabrikam), home of the guest user.
 *
 * @example
 * ```ts
 * expect(DEFAULT_USERS.carol.tenantId).toBe(SECOND_TENANT_ID);
 * ```
 */
export const SECOND_TENANT_ID = 'e8a1f4b0-3c6d-4e92-8f17-5b9d0c2a7e61';

/** Password of every default user. */
export const DEFAULT_PASSWORD = 'Passw0rd!';

/**
 * The code the MFA step accepts (field `otp`).
 *
 * @example
 * ```ts
 * await page.fill('input[name=otp]', MFA_CODE);
 * ```
 */
export const MFA_CODE = '123456';

/**
 * Tenants of the default directory.
 *
 * @example
 * ```ts
 * const url = `${emu.baseUrl}/${DEFAULT_TENANTS.contoso.domain}/v2.0/.well-known/openid-configuration`;
 * ```
 */
export const DEFAULT_TENANTS = {
  contoso: {
    id: DEFAULT_TENANT_ID,
    domain: 'contoso.onmicrosoft.com',
    displayName: 'Contoso',
    userFlows: ['B2C_1_signupsignin', 'B2C_1_profileediting', 'B2C_1_passwordreset'],
  },
  fabrikam: { id: SECOND_TENANT_ID, domain: 'fabrikam.onmicrosoft.com', displayName: 'Fabrikam' },
} as const satisfies Record<string, TenantConfig>;

/**
 * Users of the default directory: `alice` (ordinary), `bob` (MFA enrolled: every interactive
 * sign-in performs MFA), `carol` (a Fabrikam user who is a guest in Contoso).
 *
 * @example
 * ```ts
 * await page.fill('input[name=username]', DEFAULT_USERS.alice.username);
 * await page.fill('input[name=password]', DEFAULT_USERS.alice.password);
 * ```
 */
export const DEFAULT_USERS = {
  alice: {
    username: 'alice@contoso.onmicrosoft.com',
    password: DEFAULT_PASSWORD,
    oid: '4f1c2d3e-0a1b-4c5d-8e6f-7a8b9c0d1e2f',
    displayName: 'Alice Smith',
    givenName: 'Alice',
    surname: 'Smith',
    jobTitle: 'Engineer',
    tenantId: DEFAULT_TENANT_ID,
    mfaEnrolled: false,
  },
  bob: {
    username: 'bob@contoso.onmicrosoft.com',
    password: DEFAULT_PASSWORD,
    oid: '9a8b7c6d-5e4f-4a3b-9c2d-1e0f2a3b4c5d',
    displayName: 'Bob Jones',
    givenName: 'Bob',
    surname: 'Jones',
    jobTitle: 'Manager',
    tenantId: DEFAULT_TENANT_ID,
    mfaEnrolled: true,
  },
  carol: {
    username: 'carol@fabrikam.onmicrosoft.com',
    password: DEFAULT_PASSWORD,
    oid: 'c4a0e1d2-7b3f-4e5a-8d9c-0b1a2f3e4d5c',
    displayName: 'Carol Guest',
    givenName: 'Carol',
    surname: 'Guest',
    jobTitle: 'Consultant',
    tenantId: SECOND_TENANT_ID,
    guestIn: [DEFAULT_TENANT_ID],
    mfaEnrolled: false,
  },
} as const satisfies Record<string, UserConfig & { oid: string; tenantId: string }>;

/** Microsoft Graph's application id. */
export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
/** Microsoft Graph's resource URI. */
export const GRAPH_RESOURCE = 'https://graph.microsoft.com';
/** Azure Storage's application id. */
export const STORAGE_APP_ID = 'e406a681-f3d4-42a8-90b6-c2b029497af1';
/** Azure Storage's resource URI. */
export const STORAGE_RESOURCE = 'https://storage.azure.com';

/**
 * Well-known Microsoft resources, present in every directory.
 *
 * @example
 * ```ts
 * const scopes = [`${WELL_KNOWN_RESOURCES.graph.identifierUris[0]}/User.Read`];
 * ```
 */
export const WELL_KNOWN_RESOURCES = {
  graph: {
    clientId: GRAPH_APP_ID,
    displayName: 'Microsoft Graph',
    signInAudience: 'AzureADMultipleOrgs',
    identifierUris: [GRAPH_RESOURCE],
    scopes: ['User.Read', 'User.ReadBasic.All', 'Mail.Read', 'Mail.ReadWrite', 'Mail.Send'],
    appRoles: ['User.Read.All', 'Mail.Read', 'Mail.Send'],
    accessTokenVersion: 1,
  },
  storage: {
    clientId: STORAGE_APP_ID,
    displayName: 'Azure Storage',
    signInAudience: 'AzureADMultipleOrgs',
    identifierUris: [STORAGE_RESOURCE],
    scopes: ['user_impersonation'],
    appRoles: [],
    accessTokenVersion: 1,
  },
} as const satisfies Record<string, AppConfig>;

/**
 * Applications of the default directory (Contoso):
 * - `webApp`: a confidential web app (secret) signing users in at `/signin-oidc`; it has the
 *   application permission `Todo.ReadWrite.All` on the todo API.
 * - `todoApi`: an API exposing `api://todo-api/access_as_user` and app roles; it is also a
 *   confidential client (secret) so it can call Graph on behalf of its caller (OBO).
 * - `publicClient`: a public client (desktop/SPA style) with `http://localhost` redirects.
 *
 * @example
 * ```ts
 * const cca = new ConfidentialClientApplication({ auth: {
 *   clientId: DEFAULT_APPS.webApp.clientId, clientSecret: DEFAULT_APPS.webApp.clientSecret,
 *   authority: emu.authority, knownAuthorities: [emu.host] } });
 * ```
 */
export const DEFAULT_APPS = {
  webApp: {
    clientId: '3f9a2b1c-6d4e-4f8a-9b0c-1d2e3f4a5b6c',
    clientSecret: 'web-app-secret',
    displayName: 'Contoso Web App',
    tenantId: DEFAULT_TENANT_ID,
    signInAudience: 'AzureADMyOrg',
    redirectUris: ['http://localhost/signin-oidc', 'https://localhost/signin-oidc'],
    postLogoutRedirectUris: [
      'http://localhost/',
      'https://localhost/',
      'http://localhost/signout-callback-oidc',
      'https://localhost/signout-callback-oidc',
    ],
    applicationPermissions: ['api://todo-api/Todo.ReadWrite.All'],
  },
  todoApi: {
    clientId: '8e7d6c5b-4a3f-4e2d-9c1b-0a9f8e7d6c5b',
    clientSecret: 'todo-api-secret',
    displayName: 'Todo API',
    tenantId: DEFAULT_TENANT_ID,
    signInAudience: 'AzureADMyOrg',
    identifierUris: ['api://todo-api'],
    scopes: ['access_as_user'],
    appRoles: ['Todo.ReadWrite.All', 'Todo.Read.All'],
    accessTokenVersion: 2,
  },
  publicClient: {
    clientId: '5b4a3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d',
    displayName: 'Contoso Desktop',
    tenantId: DEFAULT_TENANT_ID,
    signInAudience: 'AzureADMyOrg',
    publicClient: true,
    redirectUris: ['http://localhost', 'http://127.0.0.1'],
    postLogoutRedirectUris: ['http://localhost'],
  },
} as const satisfies Record<string, AppConfig & { clientSecret?: string }>;
