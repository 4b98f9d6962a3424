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

/** The keys of `IdentityWeb:Session:Redis`. */
const SESSION_REDIS = {
  /** `redis://[[user]:password@]host:port[/db]` (`rediss://` for TLS). A secret: it may hold a password. */
  connectionString: string({ secret: true }).required('the Redis URL, such as redis://localhost:6379.'),
};

/** The keys of `IdentityWeb:Session:Postgres`. */
const SESSION_POSTGRES = {
  /** `postgresql://user:password@host:port/database`. A secret: it may hold a password. */
  connectionString: string({ secret: true }).required(
    'the PostgreSQL URL, such as postgresql://app@localhost:5432/app.',
  ),
  /** Table holding the sessions, created when missing. Default `identity_web_sessions`. */
  table: string().default('identity_web_sessions'),
};

/**
 * Redis holding the sessions, from configuration alone (connect-redis).
 *
 * @example
 * ```ts
 * const redis: SessionRedisOptions = { connectionString: 'redis://cache.internal:6379' };
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- an interface, so editors show its name
export interface SessionRedisOptions extends InputOf<typeof SESSION_REDIS> {}

/**
 * PostgreSQL holding the sessions, from configuration alone (connect-pg-simple).
 *
 * @example
 * ```ts
 * const postgres: SessionPostgresOptions = { connectionString: 'postgresql://app@db:5432/app' };
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- an interface, so editors show its name
export interface SessionPostgresOptions extends InputOf<typeof SESSION_POSTGRES> {}

/** `session.postgres` once validated. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- an interface, so editors show its name
export interface ResolvedSessionPostgresOptions extends ResolvedOf<typeof SESSION_POSTGRES> {}

/** The keys of `IdentityWeb:Session`. */
const SESSION = {
  /**
   * Where sessions live: `store` (default) keeps them server-side (express-session, in the store
   * below) with only a signed id in the cookie; `cookie` keeps them in the cookie itself, encrypted
   * with a key derived from the secret, so instances share them with no session store.
   */
  mode: oneOf(['store', 'cookie'] as const).default('store'),
  /** Secret(s) signing (`store`) or encrypting (`cookie`) the session cookie; at least 32 characters. The first is used, all are accepted. */
  secret: custom(readSecret, { secret: true }).required(
    `a random string of at least 32 characters that signs the session cookie; ${HOW_TO_SET_SECRET}.`,
  ),
  /**
   * An express-session store given in code. Without it, Redis or PostgreSQL below, else the token
   * cache's Redis or PostgreSQL, else in memory (single instance only).
   */
  store: store(),
  /** Redis from configuration (`IdentityWeb:Session:Redis:ConnectionString`). */
  redis: section<SessionRedisOptions>(SESSION_REDIS),
  /** PostgreSQL from configuration (`IdentityWeb:Session:Postgres:ConnectionString`). */
  postgres: section<SessionPostgresOptions, ResolvedSessionPostgresOptions>(SESSION_POSTGRES),
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
export interface ResolvedSessionOptions extends ResolvedOf<typeof SESSION> {
  /** `true` when no secret was configured and a random one was generated at start-up. */
  generatedSecret?: boolean;
}

/** Reads the session: its keys, then the warnings and the SameSite=None rule. */
function readSession(section: SectionReader): ResolvedSessionOptions {
  const read = readFields(SESSION, section);
  const configured = section.raw('Secret');
  const generated = read.secret !== undefined && (configured === undefined || configured === '');
  const session: ResolvedSessionOptions = {
    ...read,
    secret: read.secret ?? '',
    ...(generated ? { generatedSecret: true } : {}),
  };
  const given = [read.store !== undefined && 'Store', read.redis && 'Redis', read.postgres && 'Postgres'];
  const set = given.filter(Boolean) as string[];
  if (set.length > 1) {
    section.report.error(section.pathOf(set[1]), `and ${set[0]} are both set: choose one session store.`);
  }
  if (session.mode === 'cookie' && set.length > 0) {
    section.report.error(
      section.pathOf('Mode'),
      `is "cookie" (sessions kept in the cookie itself), but ${section.pathOf(set[0]!)} is set too: ` +
        'remove the store, or set Mode to "store".',
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
