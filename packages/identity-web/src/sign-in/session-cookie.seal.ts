import { createHash, createSecretKey, hkdfSync, type KeyObject } from 'node:crypto';
import { EncryptJWT, jwtDecrypt, type JWTPayload } from 'jose';

/** What a session cookie carries once opened. */
export interface OpenedSessionCookie {
  /** The session id (`req.sessionID`), random, new at each `regenerate`. */
  sid: string;
  /** The session's values (`req.session` without its methods and `cookie`). */
  data: Record<string, unknown>;
  /** Lifetime in milliseconds the session was last sealed with. */
  maxAgeMs: number;
  /** Epoch seconds when it was sealed. */
  issuedAt: number;
}

interface SessionClaims extends JWTPayload {
  sid: string;
  d: Record<string, unknown>;
  ma: number;
}

/** One key of the ring: the secret's derived AES key and its id (the JWE `kid`). */
interface RingKey {
  id: string;
  key: KeyObject;
}

const HEADER = { alg: 'dir', enc: 'A256GCM' } as const;
const INFO = 'nest-identity-web session cookie v1';

/**
 * Seals a session into a cookie value and opens it again: a compact JWE (`dir`, `A256GCM`, by
 * jose), so the value is encrypted and integrity-protected and says nothing readable. The key is
 * derived (HKDF-SHA256) from the session secret; with several secrets the first seals and every
 * one opens, so secrets rotate as they do for express-session's signed id. The cookie name is the
 * audience: a value sealed for another cookie does not open.
 *
 * @example
 * ```ts
 * const seal = new SessionCookieSeal(['new-secret…', 'old-secret…'], 'iw.sid');
 * const value = await seal.seal({ sid, data, maxAgeMs, issuedAt });
 * const opened = await seal.open(value); // undefined when tampered, expired or its secret was removed
 * ```
 */
export class SessionCookieSeal {
  private readonly ring: RingKey[];

  constructor(
    secrets: string | readonly string[],
    private readonly audience: string,
  ) {
    const list = typeof secrets === 'string' ? [secrets] : [...secrets];
    this.ring = list.map((secret) => {
      const raw = Buffer.from(hkdfSync('sha256', secret, audience, INFO, 32));
      const id = createHash('sha256').update(raw).digest('base64url').slice(0, 8);
      return { id, key: createSecretKey(raw) };
    });
  }

  /** The sealed value of `session`, expiring `maxAgeMs` after `issuedAt`. */
  async seal(session: OpenedSessionCookie): Promise<string> {
    const { id, key } = this.ring[0]!;
    const claims: SessionClaims = { sid: session.sid, d: session.data, ma: session.maxAgeMs };
    return new EncryptJWT(claims)
      .setProtectedHeader({ ...HEADER, kid: id })
      .setAudience(this.audience)
      .setIssuedAt(session.issuedAt)
      .setExpirationTime(session.issuedAt + Math.ceil(session.maxAgeMs / 1000))
      .encrypt(key);
  }

  /**
   * The length of the value {@link seal} makes of `session`, computed without encrypting: the
   * protected header, the IV (12 bytes), the ciphertext (as long as the claims' JSON) and the tag
   * (16 bytes), each base64url.
   */
  sealedLength(session: OpenedSessionCookie): number {
    const { id } = this.ring[0]!;
    const header = JSON.stringify({ ...HEADER, kid: id });
    const claims = JSON.stringify({
      sid: session.sid,
      d: session.data,
      ma: session.maxAgeMs,
      aud: this.audience,
      iat: session.issuedAt,
      exp: session.issuedAt + Math.ceil(session.maxAgeMs / 1000),
    });
    return (
      b64Length(Buffer.byteLength(header)) +
      2 +
      b64Length(12) +
      1 +
      b64Length(Buffer.byteLength(claims)) +
      1 +
      b64Length(16)
    );
  }

  /** The session in `value`, or `undefined` when it was tampered with, has expired, or no key of the ring opens it. */
  async open(value: string): Promise<OpenedSessionCookie | undefined> {
    try {
      const { payload } = await jwtDecrypt<SessionClaims>(value, (header) => this.keyFor(header.kid), {
        audience: this.audience,
        keyManagementAlgorithms: [HEADER.alg],
        contentEncryptionAlgorithms: [HEADER.enc],
        requiredClaims: ['iat', 'exp'],
      });
      if (typeof payload.sid !== 'string' || typeof payload.d !== 'object' || payload.d === null)
        return undefined;
      return { sid: payload.sid, data: payload.d, maxAgeMs: Number(payload.ma), issuedAt: payload.iat! };
    } catch {
      return undefined;
    }
  }

  private keyFor(kid: string | undefined): KeyObject {
    const found = this.ring.find((k) => k.id === kid);
    if (!found) throw new Error('no key of the session secret ring has this id');
    return found.key;
  }
}

function b64Length(bytes: number): number {
  return Math.ceil((bytes * 4) / 3);
}
