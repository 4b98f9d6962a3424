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
  | { kind: 'user'; user: User; clientId: string; scopes: string[]; roles: string[] }
  | { kind: 'app'; appId: string; roles: string[] };

/**
 * Validates a Graph request's bearer token as Graph does: signature (this emulator's key),
 * lifetime, audience (`https://graph.microsoft.com` or Graph's app id). Every 401 carries Graph's
 * `WWW-Authenticate: Bearer realm="", authorization_uri=…, client_id=…`. Continuous access
 * evaluation applies only to tokens whose client declared the `cp1` capability (`xms_cc`): a
 * revoked user's token, or one without MFA for a Graph an MFA policy now protects, gets a 401 with
 * `error="insufficient_claims"` and the claims to send back. Without `cp1`, a revoked user's token
 * gets a plain 401 and the policy is left to the next token request, as for any CA policy.
 *
 * @example
 * ```ts
 * const caller = authenticateGraphCaller(runtime, ctx);
 * ```
 */
export function authenticateGraphCaller(runtime: EmulatorRuntime, ctx: HttpContext): GraphCaller {
  const unauthorized = (message: string, claims?: string) =>
    new GraphError(401, 'InvalidAuthenticationToken', message, {
      'www-authenticate': graphChallenge(runtime, claims),
    });
  const match = /^Bearer\s+(\S+)$/i.exec(ctx.header('authorization') ?? '');
  if (!match) throw unauthorized('Access token is empty.');
  const jwt = decodeJwt(match[1]);
  if (!jwt || !runtime.signingKey.verifies(jwt)) {
    throw unauthorized('Access token validation failure. Invalid signature.');
  }
  const { aud, exp, nbf, scp, roles, oid, appid, amr, iat, xms_cc: capabilities } = jwt.payload;
  const now = nowSeconds();
  if (typeof exp !== 'number' || exp <= now || (typeof nbf === 'number' && nbf > now + 300)) {
    throw unauthorized('Lifetime validation failed, the token is expired.');
  }
  const audience = typeof aud === 'string' ? aud.replace(/\/+$/, '').toLowerCase() : '';
  if (audience !== GRAPH_RESOURCE && audience !== GRAPH_APP_ID) {
    throw unauthorized('Access token validation failure. Invalid audience.');
  }
  const roleList = Array.isArray(roles) ? roles.filter((r): r is string => typeof r === 'string') : [];
  if (typeof scp !== 'string') return { kind: 'app', appId: String(appid), roles: roleList };
  const caeCapable = Array.isArray(capabilities) && capabilities.includes('cp1');
  const user = typeof oid === 'string' ? runtime.directory.findUser(oid) : undefined;
  if (!user || (typeof iat === 'number' && iat < user.tokensValidAfter)) {
    if (!caeCapable || !user) throw unauthorized('Access token has been revoked.');
    const revoked = { access_token: { nbf: { essential: true, value: String(user.tokensValidAfter) } } };
    throw unauthorized(
      'Continuous access evaluation resulted in challenge with result: InteractionRequired and code: TokenIssuedBeforeRevocationTimestamp',
      JSON.stringify(revoked),
    );
  }
  const graph = runtime.directory.findResource(GRAPH_APP_ID);
  const mfaDone = Array.isArray(amr) && amr.includes('mfa');
  if (caeCapable && graph && runtime.directory.requiresMfa(graph) && !mfaDone) {
    throw unauthorized(
      'Continuous access evaluation resulted in claims challenge.',
      mfaClaimsChallenge(GRAPH_APP_ID),
    );
  }
  const clientId = String(appid);
  return { kind: 'user', user, clientId, scopes: scp.split(' ').filter(Boolean), roles: roleList };
}

/** Graph's `WWW-Authenticate` value; with claims, the CAE challenge (`insufficient_claims`, base64 claims). */
function graphChallenge(runtime: EmulatorRuntime, claims?: string): string {
  const base = `Bearer realm="", authorization_uri="${runtime.baseUrl}/common/oauth2/authorize", client_id="${GRAPH_APP_ID}"`;
  if (claims === undefined) return base;
  return `${base}, error="insufficient_claims", claims="${Buffer.from(claims).toString('base64')}"`;
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
