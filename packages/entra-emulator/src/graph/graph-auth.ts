import type { User } from '../directory/directory.types';
import { GRAPH_APP_ID, GRAPH_RESOURCE } from '../directory/default-directory';
import type { EmulatorRuntime } from '../emulator-runtime';
import { mfaClaimsChallenge } from '../directory/conditional-access';
import type { HttpContext } from '../http/http-context';
import { decodeJwt } from '../tokens/jwt';
import { nowSeconds } from '../tokens/token-factory';
import { GraphError } from './graph-error';

/** The caller of a Graph request, from its bearer token. */
export type GraphCaller =
  | { kind: 'user'; user: User; scopes: string[]; roles: string[] }
  | { kind: 'app'; appId: string; roles: string[] };

/**
 * Validates a Graph request's bearer token as Graph does: signature (this emulator's key),
 * lifetime, audience (`https://graph.microsoft.com` or Graph's app id); a token without MFA for a
 * Graph protected by an MFA policy gets 401 with a claims challenge in `WWW-Authenticate`.
 *
 * @example
 * ```ts
 * const caller = authenticateGraphCaller(runtime, ctx);
 * ```
 */
export function authenticateGraphCaller(runtime: EmulatorRuntime, ctx: HttpContext): GraphCaller {
  const match = /^Bearer\s+(\S+)$/i.exec(ctx.header('authorization') ?? '');
  if (!match) throw new GraphError(401, 'InvalidAuthenticationToken', 'Access token is empty.');
  const jwt = decodeJwt(match[1]);
  if (!jwt || !runtime.signingKey.verifies(jwt)) {
    throw new GraphError(
      401,
      'InvalidAuthenticationToken',
      'Access token validation failure. Invalid signature.',
    );
  }
  const { aud, exp, nbf, scp, roles, oid, appid, amr, iat } = jwt.payload;
  const now = nowSeconds();
  if (typeof exp !== 'number' || exp <= now || (typeof nbf === 'number' && nbf > now + 300)) {
    throw new GraphError(
      401,
      'InvalidAuthenticationToken',
      'Lifetime validation failed, the token is expired.',
    );
  }
  const audience = typeof aud === 'string' ? aud.replace(/\/+$/, '').toLowerCase() : '';
  if (audience !== GRAPH_RESOURCE && audience !== GRAPH_APP_ID) {
    throw new GraphError(
      401,
      'InvalidAuthenticationToken',
      'Access token validation failure. Invalid audience.',
    );
  }
  const roleList = Array.isArray(roles) ? roles.filter((r): r is string => typeof r === 'string') : [];
  if (typeof scp !== 'string') return { kind: 'app', appId: String(appid), roles: roleList };
  const user = typeof oid === 'string' ? runtime.directory.findUser(oid) : undefined;
  if (!user || (typeof iat === 'number' && iat < user.tokensValidAfter)) {
    throw new GraphError(401, 'InvalidAuthenticationToken', 'Access token has been revoked.');
  }
  const graph = runtime.directory.findResource(GRAPH_APP_ID);
  if (graph && runtime.directory.requiresMfa(graph) && !(Array.isArray(amr) && amr.includes('mfa'))) {
    const claims = Buffer.from(mfaClaimsChallenge(GRAPH_APP_ID)).toString('base64');
    throw new GraphError(
      401,
      'InvalidAuthenticationToken',
      'Continuous access evaluation resulted in claims challenge.',
      {
        'www-authenticate': `Bearer realm="", authorization_uri="${runtime.baseUrl}/common/oauth2/authorize", client_id="${GRAPH_APP_ID}", error="insufficient_claims", claims="${claims}"`,
      },
    );
  }
  return { kind: 'user', user, scopes: scp.split(' ').filter(Boolean), roles: roleList };
}

/**
 * Requires one of the delegated scopes (user callers) or app roles (app callers); 403 otherwise.
 *
 * @example
 * ```ts
 * requirePermission(caller, ['Mail.Read', 'Mail.ReadWrite'], ['Mail.Read'], 'ErrorAccessDenied');
 * ```
 */
export function requirePermission(
  caller: GraphCaller,
  scopes: string[],
  roles: string[],
  code: string,
): void {
  const lower = (list: string[]) => list.map((s) => s.toLowerCase());
  const granted = caller.kind === 'user' ? lower(caller.scopes) : lower(caller.roles);
  const needed = lower(caller.kind === 'user' ? scopes : roles);
  if (!needed.some((s) => granted.includes(s))) {
    const message =
      code === 'ErrorAccessDenied'
        ? 'Access is denied. Check credentials and try again.'
        : 'Insufficient privileges to complete the operation.';
    throw new GraphError(403, code, message);
  }
}
