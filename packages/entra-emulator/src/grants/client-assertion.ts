import { constants, createHash, verify, X509Certificate } from 'node:crypto';

import type { App } from '../directory/directory.types';
import { EntraError } from '../errors/entra-error';
import { decodeJwt } from '../tokens/jwt';
import { nowSeconds } from '../tokens/token-factory';

/** Entra's answer to a bad client assertion: 401 `invalid_client`. */
function refused(aadsts: number, description: string): EntraError {
  return new EntraError('invalid_client', aadsts, description, { status: 401 });
}

/**
 * Checks a `private_key_jwt` client assertion as Entra documents it ("certificate credentials"):
 * RS256 or PS256; `x5t` (SHA-1) or `x5t#S256` (SHA-256 thumbprint, base64url) naming one of the
 * app's registered certificates, whose key must verify the signature; `iss` = `sub` = the client
 * id; a single `aud` string, the token endpoint (an array is malformed, AADSTS50027); `exp`/`nbf`
 * within five minutes of now.
 *
 * @example
 * ```ts
 * verifyClientAssertion(app, params.get('client_assertion')!, runtime.baseUrl);
 * ```
 */
export function verifyClientAssertion(app: App, assertion: string, baseUrl: string): void {
  const jwt = decodeJwt(assertion);
  if (!jwt) throw refused(50027, 'JWT token is invalid or malformed.');
  const { alg } = jwt.header;
  if (alg !== 'RS256' && alg !== 'PS256') {
    throw refused(5002738, `Invalid JWT token. '${String(alg)}' is not a supported signature algorithm.`);
  }
  const certificate = registeredCertificate(app, jwt.header);
  const key = certificate.publicKey;
  const options = alg === 'PS256' ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } : key;
  if (!verify('sha256', Buffer.from(jwt.signingInput), options, jwt.signature)) {
    throw refused(
      700027,
      `Client assertion contains an invalid signature. [Reason - The key used does not verify it., Thumbprint of key used by client: '${certificate.fingerprint.replace(/:/g, '')}']`,
    );
  }
  const { iss, sub, aud, exp, nbf } = jwt.payload;
  if (iss !== app.clientId || sub !== app.clientId) {
    throw refused(700021, "Client assertion application identifier doesn't match 'client_id' parameter.");
  }
  if (typeof aud !== 'string') {
    // Entra takes one audience string; openid-client's [issuer, token endpoint] list is refused so.
    throw refused(50027, 'JWT token is invalid or malformed. The audience (aud) must be a single string.');
  }
  if (!aud.startsWith(`${baseUrl}/`) || !/\/oauth2\/v2\.0\/token$/.test(aud)) {
    throw refused(700021, 'Client assertion audience claim does not match Realm issuer.');
  }
  const now = nowSeconds();
  if (typeof exp !== 'number' || exp < now - 300 || (typeof nbf === 'number' && nbf > now + 300)) {
    throw refused(700024, 'Client assertion is not within its valid time range.');
  }
}

/** The registered certificate the header's `x5t#S256` or `x5t` names; AADSTS700027 when none does. */
function registeredCertificate(app: App, header: Record<string, unknown>): X509Certificate {
  const sha256 = header['x5t#S256'];
  const sha1 = header.x5t;
  const named = typeof sha256 === 'string' ? sha256 : typeof sha1 === 'string' ? sha1 : undefined;
  const algorithm = typeof sha256 === 'string' ? 'sha256' : 'sha1';
  for (const pem of app.certificates) {
    let certificate: X509Certificate;
    try {
      certificate = new X509Certificate(pem);
    } catch {
      continue; // not a certificate: Entra identifies keys by certificate thumbprint only
    }
    if (named !== undefined && createHash(algorithm).update(certificate.raw).digest('base64url') === named) {
      return certificate;
    }
  }
  throw refused(
    700027,
    `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${named === undefined ? 'none: the header has neither x5t nor x5t#S256' : String(named).slice(0, 64)}', app '${app.clientId}']`,
  );
}
