import type { HttpContext } from './http-context';

/** The endpoints the emulator counts requests for and can inject faults into. */
export type EndpointName =
  'discovery' | 'keys' | 'authorize' | 'token' | 'logout' | 'sign-in' | 'userinfo' | 'graph' | 'control';

/** Path parameters a route's pattern captured. */
export type RouteParams = Record<string, string | undefined>;

/** A request handler. */
export type RouteHandler = (ctx: HttpContext, params: RouteParams) => Promise<void> | void;

interface Route {
  name: EndpointName;
  methods: readonly string[];
  pattern: RegExp;
  handler: RouteHandler;
}

/** What {@link Router.match} found for a request. */
export type RouteMatch =
  | { kind: 'found'; name: EndpointName; handler: RouteHandler; params: RouteParams }
  | { kind: 'method-not-allowed'; allowed: string[] }
  | { kind: 'not-found' };

/**
 * A small router: routes are regular expressions over the path (named groups become params).
 *
 * @example
 * ```ts
 * router.add('token', ['POST'], /^\/(?<tenant>[^/]+)\/oauth2\/v2\.0\/token$/i, handleToken);
 * ```
 */
export class Router {
  private readonly routes: Route[] = [];

  /** Registers a route. */
  add(name: EndpointName, methods: readonly string[], pattern: RegExp, handler: RouteHandler): this {
    this.routes.push({ name, methods, pattern, handler });
    return this;
  }

  /** The route for a method and path. */
  match(method: string, path: string): RouteMatch {
    const allowed: string[] = [];
    for (const route of this.routes) {
      const m = route.pattern.exec(path);
      if (!m) continue;
      if (route.methods.includes(method) || (method === 'HEAD' && route.methods.includes('GET'))) {
        return { kind: 'found', name: route.name, handler: route.handler, params: { ...(m.groups ?? {}) } };
      }
      allowed.push(...route.methods);
    }
    return allowed.length
      ? { kind: 'method-not-allowed', allowed: [...new Set(allowed)] }
      : { kind: 'not-found' };
  }
}

/**
 * The path prefix of tenant-scoped endpoints: `/{tenant}/…`, `/{tenant}/{B2C_1_flow}/…` or
 * `/tfp/{tenant}/{flow}/…`, capturing `tenant`, `flow` (one of the two spellings) and `tfpTenant`/`tfpFlow`.
 *
 * @example
 * ```ts
 * new RegExp(`${TENANT_PREFIX}/oauth2/v2\\.0/token$`, 'i');
 * ```
 */
export const TENANT_PREFIX =
  '^/(?:tfp/(?<tfpTenant>[^/]+)/(?<tfpFlow>[^/]+)|(?!tfp/)(?<tenant>[^/_][^/]*)(?:/(?<flow>b2c_1a?_[^/]+))?)';

/**
 * The tenant and user flow a tenant-scoped route captured; without a flow in the path, B2C's
 * `?p=<flow>` query parameter names it.
 */
export function tenantOf(params: RouteParams, query?: URLSearchParams): { tenant: string; flow?: string } {
  const tenant = decodeSegment(params.tfpTenant ?? params.tenant ?? '');
  const flow = params.tfpFlow ?? params.flow;
  if (flow) return { tenant, flow: decodeSegment(flow) };
  const policy = query?.get('p');
  return { tenant, flow: policy && USER_FLOW.test(policy) ? policy : undefined };
}

/** A B2C user flow or custom policy name (`B2C_1_susi`, `B2C_1A_signup_signin`). */
const USER_FLOW = /^b2c_1a?_[0-9a-z._-]+$/i;

function decodeSegment(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
