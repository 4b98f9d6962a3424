import type { EmulatorRuntime } from '../emulator-runtime';
import { EntraError, missingParameter } from '../errors/entra-error';
import { parseClaims } from '../sign-in/claims-request';
import { TENANT_PREFIX, tenantOf } from '../http/router';
import { authenticateClient } from '../grants/client-authentication';
import { authorizationCodeGrant } from '../grants/authorization-code.grant';
import { clientCredentialsGrant } from '../grants/client-credentials.grant';
import { refreshTokenGrant } from '../grants/refresh-token.grant';
import { JWT_BEARER_GRANT, onBehalfOfGrant } from '../grants/on-behalf-of.grant';
import { passwordGrant } from '../grants/password.grant';
import type { HttpContext } from '../http/http-context';
import type { TenantSelector } from '../emulator-runtime';
import type { AuthenticatedClient } from '../grants/client-authentication';

/** A grant handler: validated input in, token response body out. */
export type GrantHandler = (
  runtime: EmulatorRuntime,
  params: URLSearchParams,
  tenant: TenantSelector,
  client: AuthenticatedClient,
  flow: string | undefined,
) => Record<string, unknown> | Promise<Record<string, unknown>>;

/** The grant handlers by `grant_type`; later steps register more. */
export const GRANT_HANDLERS: Record<string, GrantHandler> = {
  client_credentials: (runtime, params, tenant, client) =>
    clientCredentialsGrant(runtime, params, tenant, client),
  authorization_code: (runtime, params, _tenant, client) => authorizationCodeGrant(runtime, params, client),
  refresh_token: (runtime, params, tenant, client) => refreshTokenGrant(runtime, params, tenant, client),
  [JWT_BEARER_GRANT]: (runtime, params, _tenant, client) => onBehalfOfGrant(runtime, params, client),
  password: (runtime, params, tenant, client) => passwordGrant(runtime, params, tenant, client),
};

/**
 * Registers `POST /{tenant}/oauth2/v2.0/token`.
 *
 * @example
 * ```ts
 * registerTokenEndpoint(runtime);
 * ```
 */
export function registerTokenEndpoint(runtime: EmulatorRuntime): void {
  runtime.router.add(
    'token',
    ['POST'],
    new RegExp(`${TENANT_PREFIX}/oauth2/v2\\.0/token$`, 'i'),
    async (ctx, params) => {
      const { tenant, flow } = tenantOf(params, ctx.url.searchParams);
      await token(runtime, ctx, tenant, flow);
    },
  );
}

async function token(
  runtime: EmulatorRuntime,
  ctx: HttpContext,
  tenantSegment: string,
  flow: string | undefined,
) {
  const params = await ctx.formParams();
  const grantType = params.get('grant_type') ?? missingParameter('grant_type');
  const tenant = runtime.resolveTenant(tenantSegment);
  const handler = Object.hasOwn(GRANT_HANDLERS, grantType) ? GRANT_HANDLERS[grantType] : undefined;
  if (!handler) {
    throw new EntraError(
      'unsupported_grant_type',
      70003,
      `The app requested an unsupported grant type '${grantType.slice(0, 100)}'.`,
    );
  }
  if (params.has('claims')) parseClaims(params.get('claims') ?? '');
  const client = authenticateClient(runtime, ctx, params, tenant);
  const body = await handler(runtime, params, tenant, client, flow);
  ctx.sendJson(200, body);
}
