import { randomUUID } from 'node:crypto';

/** The OAuth error codes the emulator answers with, as Entra ID spells them. */
export type EntraErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'invalid_scope'
  | 'invalid_resource'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'unsupported_response_type'
  | 'interaction_required'
  | 'login_required'
  | 'consent_required'
  | 'access_denied'
  | 'temporarily_unavailable'
  | 'server_error'
  | 'not_found'
  | 'method_not_allowed'
  | 'request_too_large';

/** Details of an {@link EntraError} beyond its code and message. */
export interface EntraErrorDetails {
  /** HTTP status; 400 unless given. */
  status?: number;
  /** Entra's `suberror` (`consent_required`, `basic_action`, `bad_token`…). */
  suberror?: string;
  /** A claims challenge (JSON text) the client must send back on its next authorization request. */
  claims?: string;
  /** Extra response headers (for example `Retry-After`). */
  headers?: Record<string, string>;
  /** What precedes the number in the description: `AADSTS` unless given (`AADB2C` for user flows). */
  codePrefix?: string;
}

/**
 * An error the emulator reports in Entra ID's shape: `error`, `error_description` starting with
 * `AADSTSnnnnn:`, `error_codes`, `timestamp`, `trace_id`, `correlation_id`.
 *
 * @example
 * ```ts
 * throw new EntraError('invalid_grant', 65001, 'The user or administrator has not consented.', {
 *   suberror: 'consent_required',
 * });
 * ```
 */
export class EntraError extends Error {
  override readonly name = 'EntraError';
  readonly status: number;

  constructor(
    readonly error: EntraErrorCode,
    readonly aadsts: number,
    readonly description: string,
    readonly details: EntraErrorDetails = {},
  ) {
    super(`${details.codePrefix ?? 'AADSTS'}${aadsts}: ${description}`);
    this.status = details.status ?? 400;
  }

  /**
   * The JSON body Entra ID sends for this error. Pass the request's trace id so it matches the
   * `x-ms-request-id` response header, as in Entra.
   *
   * @example
   * ```ts
   * res.end(JSON.stringify(err.toBody(correlationId, traceId)));
   * ```
   */
  toBody(correlationId: string = randomUUID(), traceId: string = randomUUID()): Record<string, unknown> {
    const timestamp = formatTimestamp(new Date());
    return {
      error: this.error,
      error_description: this.describe(correlationId, traceId, timestamp),
      error_codes: [this.aadsts],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      ...(this.details.suberror ? { suberror: this.details.suberror } : {}),
      ...(this.details.claims ? { claims: this.details.claims } : {}),
      error_uri: `https://login.microsoftonline.com/error?code=${this.aadsts}`,
    };
  }

  /**
   * The `error_description` Entra ID writes, in token responses and in errors sent to the redirect
   * URI alike: the AADSTS message, then `Trace ID`, `Correlation ID` and `Timestamp` lines.
   *
   * @example
   * ```ts
   * err.describe(correlationId, traceId); // 'AADSTS65004: User declined…\r\nTrace ID: …'
   * ```
   */
  describe(correlationId: string, traceId: string, timestamp = formatTimestamp(new Date())): string {
    return `${this.message}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`;
  }
}

/** Entra's timestamp format: `2024-05-01 12:34:56Z`. */
function formatTimestamp(date: Date): string {
  return date
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
}

/**
 * Shorthand for the "missing parameter" error (AADSTS900144).
 *
 * @example
 * ```ts
 * const grantType = params.get('grant_type') ?? missingParameter('grant_type');
 * ```
 */
export function missingParameter(name: string): never {
  throw new EntraError(
    'invalid_request',
    900144,
    `The request body must contain the following parameter: '${name}'.`,
  );
}
