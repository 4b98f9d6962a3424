import {
  createHash,
  createPrivateKey,
  createPublicKey,
  X509Certificate,
  verify,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto';

import { SignJWT, type JWTPayload } from 'jose';

/** The token format a header follows: Entra's v1.0 tokens name the key twice (`x5t`, `kid`), v2.0 once. */
export type TokenVersion = 'v1' | 'v2';

/** A JWT's decoded parts. */
export interface DecodedJwt {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  signingInput: string;
  signature: Buffer;
}

/**
 * The emulator's token-signing key (RS256), its certificate, and its JWKS entry. As in Entra ID,
 * `kid` and `x5t` are the certificate's SHA-1 thumbprint (base64url) and `x5c` holds the
 * certificate.
 *
 * @example
 * ```ts
 * const key = new SigningKey(privateKeyPem, certificatePem);
 * const token = await key.sign({ aud: 'x', iss: 'y' });
 * ```
 */
export class SigningKey {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly kid: string;
  private readonly certificateDer: Buffer;

  constructor(privateKeyPem: string, certificatePem: string) {
    this.privateKey = createPrivateKey(privateKeyPem);
    this.publicKey = createPublicKey(this.privateKey);
    this.certificateDer = new X509Certificate(certificatePem).raw;
    this.kid = createHash('sha1').update(this.certificateDer).digest('base64url');
  }

  /** The public key as a JWKS entry. */
  get jwk(): JsonWebKey & { kid: string; use: string; alg: string; x5t: string; x5c: string[] } {
    const jwk = this.publicKey.export({ format: 'jwk' });
    return {
      kty: jwk.kty,
      use: 'sig',
      alg: 'RS256',
      kid: this.kid,
      x5t: this.kid,
      n: jwk.n,
      e: jwk.e,
      x5c: [this.certificateDer.toString('base64')],
    };
  }

  /**
   * Signs claims as a compact RS256 JWT whose header names this key as Entra's do: v1 tokens carry
   * `x5t` and `kid`, v2 tokens (and B2C's) only `kid`.
   */
  sign(payload: JWTPayload, version: TokenVersion = 'v2'): Promise<string> {
    const header = version === 'v1' ? { x5t: this.kid, kid: this.kid } : { kid: this.kid };
    return new SignJWT(payload)
      .setProtectedHeader({ typ: 'JWT', alg: 'RS256', ...header })
      .sign(this.privateKey);
  }

  /** Whether a decoded JWT carries this key's valid RS256 signature. */
  verifies(jwt: DecodedJwt): boolean {
    return (
      jwt.header.alg === 'RS256' &&
      jwt.header.kid === this.kid &&
      verify('sha256', Buffer.from(jwt.signingInput), this.publicKey, jwt.signature)
    );
  }
}

/**
 * Splits and decodes a compact JWT without verifying it; undefined when it is not one.
 *
 * @example
 * ```ts
 * const jwt = decodeJwt(assertion);
 * if (!jwt) throw new Error('not a JWT');
 * ```
 */
export function decodeJwt(token: string): DecodedJwt | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]*$/.test(p))) return undefined;
  try {
    const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8')) as unknown;
    const payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as unknown;
    if (!isObject(header) || !isObject(payload)) return undefined;
    return {
      header,
      payload,
      signingInput: `${parts[0]}.${parts[1]}`,
      signature: Buffer.from(parts[2], 'base64url'),
    };
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
