import { EntraError } from '../errors/entra-error';

/**
 * Whether a `claims` request asks for multi-factor authentication: an `acrs` auth-context
 * request, `amr` with `mfa`, or `capolids` (a conditional-access challenge) on either token.
 *
 * @example
 * ```ts
 * claimsRequireMfa({ access_token: { acrs: { essential: true, value: 'c1' } } }); // true
 * ```
 */
export function claimsRequireMfa(claims: Record<string, unknown> | undefined): boolean {
  for (const tokenType of ['access_token', 'id_token']) {
    const requested = claims?.[tokenType];
    if (typeof requested !== 'object' || requested === null) continue;
    const entries = requested as Record<string, unknown>;
    if (entries.acrs !== undefined || entries.capolids !== undefined) return true;
    const amr = entries.amr as { value?: unknown; values?: unknown } | undefined;
    if (amr && (amr.value === 'mfa' || (Array.isArray(amr.values) && amr.values.includes('mfa'))))
      return true;
  }
  return false;
}

/**
 * The client capabilities (`xms_cc`, e.g. `cp1`) a `claims` request declares.
 *
 * @example
 * ```ts
 * clientCapabilities({ access_token: { xms_cc: { values: ['cp1'] } } }); // ['cp1']
 * ```
 */
export function clientCapabilities(claims: Record<string, unknown> | undefined): string[] {
  const accessToken = claims?.access_token as { xms_cc?: { values?: unknown } } | undefined;
  const values = accessToken?.xms_cc?.values;
  return Array.isArray(values) ? values.filter((v): v is string => typeof v === 'string') : [];
}

/**
 * Parses a `claims` request parameter (JSON); malformed claims fail with AADSTS90100 rather than
 * being ignored.
 *
 * @example
 * ```ts
 * parseClaims('{"access_token":{"xms_cc":{"values":["cp1"]}}}');
 * ```
 */
export function parseClaims(claims: string): Record<string, unknown> {
  if (claims.trim() === '') return {};
  try {
    const parsed = JSON.parse(claims) as unknown;
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
      return parsed as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new EntraError('invalid_request', 90100, 'The claims parameter is not valid JSON.');
}
