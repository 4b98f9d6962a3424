/**
 * `IdentityWeb:Session`: the browser session (express-session), which holds who the user is,
 * never tokens. Without a secret, one is generated outside production so an `appsettings.json`
 * copied unchanged runs; in production (`NODE_ENV=production`) the secret is required.
 */
import { randomBytes } from 'node:crypto';
import { custom, number, oneOf, section, store, string } from './option-kinds';
import { readFields } from './option-section';
import type { InputOf, ResolvedOf } from './option-types';
import type { SectionReader } from './section-reader';

/**
 * Name of the session cookie unless `session.cookieName` says otherwise.
 *
 * @example
 * ```ts
 * res.clearCookie(options.session.cookieName); // DEFAULT_SESSION_COOKIE unless configured
 * ```
 */
export const DEFAULT_SESSION_COOKIE = 'iw.sid';

const HOW_TO_SET_SECRET =
  'set it through the environment variable IdentityWeb__Session__Secret or in code as session.secret';

/**
 * The secret(s); without one, outside production, a random secret (with a warning: sessions end at
 * restart and are not shared between instances). In production a missing one is reported as required.
 */
function readSecret(session: SectionReader, key: string): string | string[] | undefined {
  const value = session.raw(key);
  if (value === undefined || value === '') {
    if (session.env.NODE_ENV === 'production') return undefined;
    session.report.warn(
      session.pathOf(key),
      `is not set: using a random secret generated at start-up, so sessions end when the app restarts ` +
        `and are not shared between instances; ${HOW_TO_SET_SECRET}.`,
    );
    return randomBytes(32).toString('base64url');
  }
  const secrets: unknown[] = Array.isArray(value) ? value : [value];
  if (secrets.length === 0 || !secrets.every((s) => typeof s === 'string' && s.length >= 32)) {
    session.report.error(
      session.pathOf(key),
      'must be a string (or an array of strings) of at least 32 characters.',
    );
  }
  return value as string | string[];
}

/** `Secure`: a boolean, or `auto`. */
function readSecure(session: SectionReader, key: string): boolean | 'auto' | undefined {
  return session.raw(key) === 'auto' ? 'auto' : session.boolean(key);
}

/** The keys of `IdentityWeb:Session`. */
const SESSION = {
  /** Secret(s) signing the session cookie; at least 32 characters. */
  secret: custom(readSecret, { secret: true }).required(
    `a random string of at least 32 characters that signs the session cookie; ${HOW_TO_SET_SECRET}.`,
  ),
  /** An express-session store; in memory by default (single instance only). */
  store: store(),
  /** Cookie name. Default `iw.sid`. */
  cookieName: string().default(DEFAULT_SESSION_COOKIE),
  /** `true` sets the Secure flag; `'auto'` (default) sets it when the request came over https. */
  secure: custom(readSecure).default('auto'),
  /** Session lifetime in milliseconds. Default 8 hours. */
  maxAgeMs: number({ min: 1 }).default(8 * 60 * 60 * 1000),
  /** `lax` by default, which `response_mode=query` needs. */
  sameSite: oneOf(['lax', 'strict', 'none']).default('lax'),
};

/**
 * Browser session (express-session) settings. The session holds who the user is, never tokens.
 *
 * @example
 * ```ts
 * const session: SessionOptions = { secret: process.env.SESSION_SECRET!, store: new RedisStore({ client }) };
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- an interface, so editors show its name
export interface SessionOptions extends InputOf<typeof SESSION> {}

/** `session` once validated: every default filled in. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- an interface, so editors show its name
export interface ResolvedSessionOptions extends ResolvedOf<typeof SESSION> {}

/** Reads the session: its keys, then the warnings and the SameSite=None rule. */
function readSession(section: SectionReader): ResolvedSessionOptions {
  const read = readFields(SESSION, section);
  const session: ResolvedSessionOptions = { ...read, secret: read.secret ?? '' };
  if (read.store === undefined && section.env.NODE_ENV === 'production') {
    section.report.warn(
      section.pathOf('Store'),
      "is not set: sessions live in express-session's MemoryStore, which is unbounded, lost at restart " +
        'and not shared between instances; give a store (Redis, PostgreSQL...) in production.',
    );
  }
  if (session.secure === false) {
    section.report.warn(
      section.pathOf('Secure'),
      'is false: the session cookie is sent over plain http too.',
    );
  }
  if (session.sameSite === 'none' && session.secure === false) {
    section.report.error(
      section.pathOf('SameSite'),
      'none requires Secure (browsers drop SameSite=None cookies without it).',
    );
  }
  return session;
}

/** The `SESSION` section, read with its rules. */
export const SESSION_SECTION = section<SessionOptions, ResolvedSessionOptions>(SESSION, readSession);
