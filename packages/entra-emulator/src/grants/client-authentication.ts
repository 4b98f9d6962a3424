import { constants, createPublicKey, verify } from 'node:crypto';

import type { App } from '../directory/directory.types';
import type { EmulatorRuntime, TenantSelector } from '../emulator-runtime';
import { EntraError, missingParameter } from '../errors/entra-error';
import type { HttpContext } from '../http/http-context';
import { decodeJwt } from '../tokens/jwt';
import { nowSeconds, type ClientAuthMethod } from '../tokens/token-factory';

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** Grants a public client may use without a credential (it has none); Entra refuses the others. */
const PUBLIC_CLIENT_GRANTS: readonly string[] = ['authorization_code', 'refresh_token'];

/** The authenticated client of a token request. */
export interface AuthenticatedClient {
  app: App;
  auth: ClientAuthMethod;
}

/**
 * Identifies and authenticates the client of a token request: client secret (form or HTTP Basic),
 * or a client assertion (`private_key_jwt`, RS256 or PS256) signed by a registered certificate's
 * key. Public clients may send no credential, but only for the authorization-code and refresh-token
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
    verifyAssertion(runtime, app, assertion);
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

function verifyAssertion(runtime: EmulatorRuntime, app: App, assertion: string): void {
  const jwt = decodeJwt(assertion);
  if (!jwt)
    throw new EntraError('invalid_client', 50027, 'JWT token is invalid or malformed.', { status: 401 });
  const alg = jwt.header.alg;
  if (alg !== 'RS256' && alg !== 'PS256') {
    throw new EntraError(
      'invalid_client',
      5002738,
      `Invalid JWT token. '${String(alg)}' is not a supported signature algorithm.`,
      {
        status: 401,
      },
    );
  }
  const signed = app.certificates.some((pem) => {
    try {
      const key = createPublicKey(pem);
      const options =
        alg === 'PS256' ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } : key;
      return verify('sha256', Buffer.from(jwt.signingInput), options, jwt.signature);
    } catch {
      return false;
    }
  });
  if (!signed) {
    throw new EntraError(
      'invalid_client',
      700027,
      `Client assertion failed signature validation. (No registered certificate of app '${app.clientId}' verifies it.)`,
      { status: 401 },
    );
  }
  const { iss, sub, aud, exp, nbf } = jwt.payload;
  if (iss !== app.clientId || sub !== app.clientId) {
    throw new EntraError(
      'invalid_client',
      700021,
      "Client assertion 'iss' and 'sub' must be the client id.",
      { status: 401 },
    );
  }
  const audiences = Array.isArray(aud) ? aud : [aud];
  if (
    !audiences.some(
      (a) =>
        typeof a === 'string' && a.startsWith(runtime.baseUrl + '/') && /\/oauth2\/v2\.0\/token$/.test(a),
    )
  ) {
    throw new EntraError(
      'invalid_client',
      700021,
      "Client assertion audience must be this token endpoint's URL.",
      {
        status: 401,
      },
    );
  }
  const now = nowSeconds();
  if (typeof exp !== 'number' || exp < now - 300 || (typeof nbf === 'number' && nbf > now + 300)) {
    throw new EntraError('invalid_client', 700024, 'Client assertion is not within its valid time range.', {
      status: 401,
    });
  }
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
