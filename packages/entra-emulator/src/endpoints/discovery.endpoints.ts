import type { EmulatorRuntime } from '../emulator-runtime';
import { TENANT_PREFIX, tenantOf, type RouteParams } from '../http/router';
import type { HttpContext } from '../http/http-context';
import { EntraError } from '../errors/entra-error';
import { b2cDocument, v1Document, v2Document } from './discovery-documents';

const CACHE = { 'cache-control': 'max-age=86400, private' };

/**
 * Registers OpenID discovery — the v2.0 document at `/{tenant}/v2.0/.well-known/openid-configuration`,
 * the v1.0 one at `/{tenant}/.well-known/openid-configuration`, a B2C user flow's at
 * `/{tenant}/{flow}/v2.0/…` or `…?p={flow}` — and the JWKS (`/{tenant}/discovery[/v2.0]/keys`),
 * for tenant ids, domains and `common`/`organizations`/`consumers`.
 *
 * @example
 * ```ts
 * registerDiscoveryEndpoints(runtime);
 * ```
 */
export function registerDiscoveryEndpoints(runtime: EmulatorRuntime): void {
  runtime.router.add(
    'discovery',
    ['GET'],
    new RegExp(`${TENANT_PREFIX}(?<v2>/v2\\.0)?/\\.well-known/openid-configuration$`, 'i'),
    (ctx, params) => discovery(runtime, ctx, params),
  );
  runtime.router.add(
    'keys',
    ['GET'],
    new RegExp(`${TENANT_PREFIX}/discovery(?:/v2\\.0)?/keys$`, 'i'),
    (ctx, params) => {
      const { tenant, flow } = tenantOf(params, ctx.url.searchParams);
      userFlowOf(runtime, tenant, flow);
      ctx.sendJson(200, { keys: [runtime.signingKey.jwk] }, CACHE);
    },
  );
}

function discovery(runtime: EmulatorRuntime, ctx: HttpContext, params: RouteParams): void {
  const { tenant, flow } = tenantOf(params, ctx.url.searchParams);
  const base = runtime.baseUrl;
  const advertisePkce = runtime.advertisePkce;
  const userFlow = userFlowOf(runtime, tenant, flow);
  if (userFlow) {
    const form = params.flow || params.tfpFlow ? 'path' : 'query';
    ctx.sendJson(200, b2cDocument(base, userFlow.tenant, userFlow.flow, form, advertisePkce), CACHE);
    return;
  }
  const selector = runtime.resolveTenant(tenant);
  const context =
    selector.kind === 'tenant'
      ? { baseUrl: base, pathTenant: selector.tenant.id, issuerTenant: selector.tenant.id, advertisePkce }
      : { baseUrl: base, pathTenant: selector.name, issuerTenant: '{tenantid}', advertisePkce };
  ctx.sendJson(200, params.v2 ? v2Document(context) : v1Document(context), CACHE);
}

/** The tenant and configured user flow a request names, undefined without a flow; an unknown one fails. */
function userFlowOf(runtime: EmulatorRuntime, tenant: string, flow: string | undefined) {
  const selector = runtime.resolveTenant(tenant);
  if (!flow) return undefined;
  const configured =
    selector.kind === 'tenant'
      ? selector.tenant.userFlows.find((f) => f.toLowerCase() === flow.toLowerCase())
      : undefined;
  if (selector.kind !== 'tenant' || !configured) {
    throw new EntraError(
      'invalid_request',
      90002,
      `The user flow '${flow.slice(0, 100)}' does not exist in tenant '${tenant.slice(0, 100)}'.`,
      { status: 404 },
    );
  }
  return { tenant: selector.tenant, flow: configured };
}
