import { randomBytes } from 'node:crypto';

/** What the emulator needs to know later about the sign-in behind a token. */
export interface SignInEvidence {
  /** Authentication methods (`pwd`, `mfa`). */
  amr: string[];
  /** Epoch seconds of the interactive sign-in. */
  authTime: number;
}

/**
 * Writes the `aio` claim: Entra's opaque internal claim, which here carries the sign-in's methods
 * and time, so on-behalf-of keeps MFA although v2 access tokens have no `amr` (as in Entra).
 *
 * @example
 * ```ts
 * const aio = encodeAio({ amr: ['pwd', 'mfa'], authTime: 1700000000 });
 * decodeAio(aio); // { amr: ['pwd', 'mfa'], authTime: 1700000000 }
 * ```
 */
export function encodeAio(evidence?: SignInEvidence): string {
  const salt = randomBytes(12).toString('base64url');
  if (!evidence) return salt;
  const body = Buffer.from(JSON.stringify({ a: evidence.amr, t: evidence.authTime })).toString('base64url');
  return `${body}.${salt}`;
}

/** The sign-in evidence an `aio` claim written by {@link encodeAio} carries; undefined otherwise. */
export function decodeAio(aio: unknown): SignInEvidence | undefined {
  if (typeof aio !== 'string' || !aio.includes('.')) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(aio.split('.')[0], 'base64url').toString('utf8')) as {
      a?: unknown;
      t?: unknown;
    };
    if (!Array.isArray(parsed.a) || typeof parsed.t !== 'number') return undefined;
    return { amr: parsed.a.filter((m): m is string => typeof m === 'string'), authTime: parsed.t };
  } catch {
    return undefined;
  }
}
