/** Node's codes for a certificate the process does not trust or that does not fit the host. */
const CERTIFICATE_CODES: ReadonlySet<string> = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_UNTRUSTED',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/**
 * The TLS certificate verification code (`UNABLE_TO_VERIFY_LEAF_SIGNATURE`...) somewhere in an
 * error's `cause` chain (undici's "fetch failed" hides it there), or `undefined` for other failures.
 *
 * @example
 * ```ts
 * certificateFailure(err); // 'SELF_SIGNED_CERT_IN_CHAIN' for a private CA the process does not trust
 * ```
 */
export function certificateFailure(err: unknown): string | undefined {
  let current: unknown = err;
  for (let depth = 0; depth < 8 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && CERTIFICATE_CODES.has(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
