import { Injectable } from '@nestjs/common';
import {
  createRemoteJWKSet,
  customFetch,
  errors,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import { IdentityProviderUnavailableError, IdentityWebError, SignInRefusedError } from '../errors';
import { retryAfterSeconds } from '../http/retry-after';
import { IdentityWebOptions } from '../options/identity-web.options';
import { Authorities } from '../token-acquisition/authorities';

/** What the ID token must match besides the app's registration. */
export interface IdTokenExpectations {
  /** The nonce sent with the authorization request. */
  nonce: string;
  /** B2C / External ID user flow the request ran, whose metadata (issuer, keys) applies. */
  userFlow?: string;
}

/** The part of the authority metadata the validator needs. */
export interface IdTokenAuthorityMetadata {
  issuer: string;
  jwks_uri: string;
}

const TENANT_TEMPLATE = '{tenantid}';

/**
 * Validates the ID token of a sign-in response, because MSAL does not: RS256 signature against
 * the authority's JWKS (one key set per `jwks_uri`, refreshed when an unknown key id appears),
 * issuer (Entra's `{tenantid}` template for `common`/`organizations` is filled with the token's
 * `tid`), `tid` equal to the tenant the issuer names, the optional `allowedTenants` list, audience
 * (the client id), `sub` (OpenID Connect requires it), lifetime with `clockSkewSeconds` of leeway
 * (default 120; `iat` may not lie further in the future), and the nonce. Every failure is an
 * `IdentityWebError` with code `sign_in_refused` (`idp_unavailable` when the keys cannot be fetched).
 *
 * @example
 * ```ts
 * const claims = await validator.validate(idToken, { nonce: pending.nonce });
 * ```
 */
@Injectable()
export class IdTokenValidator {
  private readonly keySets = new Map<string, JWTVerifyGetKey>();

  constructor(
    private readonly options: IdentityWebOptions,
    private readonly authorities: Authorities,
  ) {}

  /** Resolves with the token's claims when it is valid; rejects with an `IdentityWebError` otherwise. */
  async validate(idToken: string, expected: IdTokenExpectations): Promise<JWTPayload> {
    const metadata = await this.getMetadata(expected.userFlow);
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(idToken, this.getKeySet(metadata.jwks_uri), {
        algorithms: ['RS256'],
        audience: this.options.azureAd.clientId,
        clockTolerance: this.options.azureAd.clockSkewSeconds,
        requiredClaims: ['iss', 'sub', 'aud', 'exp', 'iat'],
      }));
    } catch (err) {
      throw this.toError(err);
    }
    this.checkSubject(payload);
    this.checkIssuedAt(payload);
    this.checkAuthorizedParty(payload);
    this.checkIssuer(payload, metadata.issuer);
    this.checkIssuerTenant(payload);
    this.checkTenant(payload);
    this.checkNonce(payload, expected.nonce);
    return payload;
  }

  /** The authority's issuer and key-set address. */
  protected async getMetadata(userFlow?: string): Promise<IdTokenAuthorityMetadata> {
    return this.authorities.metadata(userFlow);
  }

  /** One remote key set per `jwks_uri`, kept for the life of the app. */
  protected getKeySet(jwksUri: string): JWTVerifyGetKey {
    let keySet = this.keySets.get(jwksUri);
    if (!keySet) {
      keySet = createRemoteJWKSet(new URL(jwksUri), {
        timeoutDuration: this.options.azureAd.httpTimeoutMs,
        [customFetch]: fetchKeys,
      });
      this.keySets.set(jwksUri, keySet);
    }
    return keySet;
  }

  /** OpenID Connect requires `sub`: a non-empty string, the user's stable identifier at this app. */
  protected checkSubject(payload: JWTPayload): void {
    if (typeof payload.sub !== 'string' || payload.sub.trim().length === 0) {
      throw refused('has no subject (sub)');
    }
  }

  /** A token issued later than now plus the clock skew was not issued by a working identity provider. */
  protected checkIssuedAt(payload: JWTPayload): void {
    const now = Math.floor(Date.now() / 1000);
    if (typeof payload.iat === 'number' && payload.iat > now + this.options.azureAd.clockSkewSeconds) {
      throw refused('was issued in the future (iat)');
    }
  }

  /**
   * A token's `tid` must be the tenant its issuer names (`https://<host>/<tid>/v2.0`, B2C's and
   * External ID's alike): a token of one tenant never speaks for another.
   */
  protected checkIssuerTenant(payload: JWTPayload): void {
    const tid = payload.tid;
    if (tid === undefined) return;
    if (typeof tid !== 'string' || tid.length === 0) throw refused('has an invalid tenant (tid)');
    let segments: string[];
    try {
      segments = new URL(String(payload.iss)).pathname.split('/').map((s) => s.toLowerCase());
    } catch {
      throw refused('unexpected issuer');
    }
    if (!segments.includes(tid.toLowerCase())) throw refused('tenant (tid) is not the tenant of its issuer');
  }

  /** With several audiences, the token must have been issued to this app (`azp`). */
  protected checkAuthorizedParty(payload: JWTPayload): void {
    if (
      Array.isArray(payload.aud) &&
      payload.aud.length > 1 &&
      payload.azp !== this.options.azureAd.clientId
    ) {
      throw refused('the token was issued to another party (azp)');
    }
  }

  /** `iss` must equal the metadata issuer, with `{tenantid}` replaced by the token's `tid`. */
  protected checkIssuer(payload: JWTPayload, metadataIssuer: string): void {
    let expected = metadataIssuer;
    if (metadataIssuer.includes(TENANT_TEMPLATE)) {
      const tid = payload.tid;
      if (typeof tid !== 'string' || tid.length === 0) throw refused('the token has no tenant (tid)');
      expected = metadataIssuer.replace(TENANT_TEMPLATE, tid);
    }
    if (payload.iss !== expected) throw refused('unexpected issuer');
  }

  /** When `allowedTenants` is set, the token's `tid` must be one of them. */
  protected checkTenant(payload: JWTPayload): void {
    const allowed = this.options.azureAd.allowedTenants;
    if (allowed.length === 0) return;
    const tid = typeof payload.tid === 'string' ? payload.tid.toLowerCase() : undefined;
    if (!tid || !allowed.some((t) => t.toLowerCase() === tid)) throw refused('the tenant is not allowed');
  }

  /** The token must carry the nonce of the request it answers. */
  protected checkNonce(payload: JWTPayload, nonce: string): void {
    if (typeof payload.nonce !== 'string' || payload.nonce !== nonce) throw refused('nonce mismatch');
  }

  /**
   * jose's errors become library errors; the message names the check, never the token. Keys that
   * could not be fetched (a 5xx or 429 answer, a time-out, no connection) are the identity
   * provider's outage, not a bad token: `idp_unavailable`, with its `Retry-After`.
   */
  protected toError(err: unknown): IdentityWebError {
    if (err instanceof KeySetUnavailable) {
      return new IdentityProviderUnavailableError(
        `The identity provider's signing keys could not be fetched: ${err.message}.`,
        { cause: err, retryAfterSeconds: err.retryAfterSeconds },
      );
    }
    if (err instanceof errors.JWKSTimeout || !(err instanceof errors.JOSEError)) {
      return new IdentityProviderUnavailableError(
        `The identity provider's signing keys could not be fetched: ${describeFailure(err)}.`,
        { cause: err },
      );
    }
    if (err instanceof errors.JWTExpired) return refused('the token has expired', err);
    if (err instanceof errors.JWTClaimValidationFailed) return refused(`invalid "${err.claim}" claim`, err);
    if (err instanceof errors.JOSEAlgNotAllowed) return refused('signing algorithm not allowed', err);
    if (err instanceof errors.JWKSNoMatchingKey) return refused('no matching signing key', err);
    if (err instanceof errors.JWSSignatureVerificationFailed) return refused('invalid signature', err);
    return refused(`malformed token (${err.code})`, err);
  }
}

/** The key set answered with something other than 200: the provider's failure, with its `Retry-After`. */
class KeySetUnavailable extends Error {
  constructor(
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

/** jose's key-set fetch, except that a non-200 answer says which, and when to retry. */
async function fetchKeys(url: string, init: RequestInit): Promise<Response> {
  const response = await fetch(url, init);
  if (response.status !== 200) {
    await response.body?.cancel();
    const retryAfter = response.headers.get('retry-after');
    throw new KeySetUnavailable(
      `GET ${url} answered ${response.status}${retryAfter ? ` (Retry-After: ${retryAfter})` : ''}`,
      retryAfterSeconds(retryAfter),
    );
  }
  return response;
}

/** A network failure in words: its message, and the cause's (undici's "fetch failed" hides it). */
function describeFailure(err: unknown): string {
  if (err instanceof errors.JWKSTimeout) return 'time-out';
  const message = err instanceof Error ? err.message : String(err);
  const cause = err instanceof Error && err.cause instanceof Error ? ` (${err.cause.message})` : '';
  return `${message}${cause}`;
}

function refused(reason: string, cause?: unknown): IdentityWebError {
  return new SignInRefusedError(`Sign-in refused: ID token ${reason}.`, { cause });
}
