import type { App } from '../directory/directory.types';
import type { EmulatorRuntime, TenantSelector } from '../emulator-runtime';
import { EntraError, missingParameter } from '../errors/entra-error';
import type { HttpContext } from '../http/http-context';
import { decodeJwt } from '../tokens/jwt';
import type { ClientAuthMethod } from '../tokens/token-factory';
import { verifyClientAssertion } from './client-assertion';

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** Grants a public client may use without a credential (it has none); Entra refuses the others. */
const PUBLIC_CLIENT_GRANTS: readonly string[] = ['authorization_code', 'refresh_token', 'password'];

/** The authenticated client of a token request. */
export interface AuthenticatedClient {
  app: App;
  auth: ClientAuthMethod;
}

/**
 * Identifies and authenticates the client of a token request: client secret (form or HTTP Basic),
 * or a client assertion (`private_key_jwt`, see {@link verifyClientAssertion}) signed by a
 * registered certificate's key. Public clients may send no credential, but only for the authorization-code and refresh-token
 * grants: client credentials and on-behalf-of need a confidential client (AADSTS7000218).
 *
 * @example
 * ```ts
 * const client = authenticateClient(runtime, ctx, params, tenant);
 * ```
 */
export function authenticateClient(
  runtime: EmulatorRuntime,
  ctx: HttpContext,
  params: URLSearchParams,
  tenant: TenantSelector,
): AuthenticatedClient {
  const basic = basicCredentials(ctx.header('authorization'));
  const assertion = params.get('client_assertion') ?? undefined;
  const assertionJwt = assertion ? decodeJwt(assertion) : undefined;
  const clientId =
    params.get('client_id') ??
    basic?.clientId ??
    (typeof assertionJwt?.payload.sub === 'string' ? assertionJwt.payload.sub : undefined) ??
    missingParameter('client_id');
  const app = runtime.directory.findApp(clientId);
  if (
    !app ||
    (tenant.kind === 'tenant' &&
      app.tenantId !== tenant.tenant.id &&
      app.signInAudience !== 'AzureADMultipleOrgs')
  ) {
    throw new EntraError(
      'unauthorized_client',
      700016,
      `Application with identifier '${clientId.slice(0, 100)}' was not found in the directory '${tenant.kind === 'tenant' ? tenant.tenant.domain : tenant.name}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`,
    );
  }
  const secret = params.get('client_secret') ?? basic?.secret;
  if (assertion !== undefined) {
    if (params.get('client_assertion_type') !== ASSERTION_TYPE) {
      throw new EntraError(
        'invalid_request',
        90014,
        `The client_assertion_type must be '${ASSERTION_TYPE}'.`,
      );
    }
    verifyClientAssertion(app, assertion, runtime.baseUrl);
    return { app, auth: '2' };
  }
  if (secret !== undefined && secret !== null) {
    if (!app.clientSecrets.includes(secret)) {
      throw new EntraError(
        'invalid_client',
        7000215,
        `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.clientId}'.`,
        { status: 401 },
      );
    }
    return { app, auth: '1' };
  }
  if (app.publicClient && PUBLIC_CLIENT_GRANTS.includes(params.get('grant_type') ?? '')) {
    return { app, auth: '0' };
  }
  throw new EntraError(
    'invalid_client',
    7000218,
    "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
    { status: 401 },
  );
}

function basicCredentials(header: string | undefined): { clientId: string; secret: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header ?? '');
  if (!match) return undefined;
  const text = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon < 0) return undefined;
  try {
    return {
      clientId: decodeURIComponent(text.slice(0, colon)),
      secret: decodeURIComponent(text.slice(colon + 1)),
    };
  } catch {
    return undefined;
  }
}
