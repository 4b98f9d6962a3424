/** `IdentityWeb:TokenCache`: in memory by default; a distributed store for several instances. */
import { boolean, custom, number, section, store, string } from './option-kinds';
import { readFields } from './option-section';
import type { InputOf, ResolvedOf } from './option-types';
import type { SectionReader } from './section-reader';

/**
 * One key of the token cache's encryption key ring.
 *
 * @example
 * ```ts
 * const key: TokenCacheEncryptionKey = { id: '2026-12', key: process.env.TOKEN_CACHE_KEY! };
 * ```
 */
export interface TokenCacheEncryptionKey {
  /** Names the key in every value it encrypts, so a value finds its key after rotation. Letters, digits, `-`, `_`. */
  id: string;
  /** 32 random bytes, base64 (`openssl rand -base64 32`). A secret. */
  key: string;
}

/** Reads `EncryptionKeys`: an array (or index-keyed section) of `{ Id, Key }`, ids unique, keys 32 bytes. */
function readEncryptionKeys(section: SectionReader, name: string): TokenCacheEncryptionKey[] | undefined {
  const entries = section.array(name);
  if (!entries) return undefined;
  const keys: TokenCacheEncryptionKey[] = [];
  entries.forEach((entry, i) => {
    const path = `${section.pathOf(name)}:${i}`;
    const values = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
    const field = (k: string) => values[Object.keys(values).find((x) => x.toLowerCase() === k) ?? k];
    const id = field('id');
    const key = field('key');
    if (typeof id !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(id)) {
      section.report.error(`${path}:Id`, 'must be 1 to 64 letters, digits, "-" or "_".');
      return;
    }
    if (keys.some((k) => k.id === id)) {
      section.report.error(`${path}:Id`, `repeats the id "${id}": each key needs its own.`);
      return;
    }
    if (typeof key !== 'string' || Buffer.from(key, 'base64').length !== 32) {
      section.report.error(`${path}:Key`, 'must be 32 bytes in base64 (openssl rand -base64 32).');
      return;
    }
    keys.push({ id, key });
  });
  return keys.length > 0 ? keys : undefined;
}

/** The keys of `IdentityWeb:TokenCache:Redis`. */
const REDIS = {
  /** `redis://[[user]:password@]host:port[/db]` (`rediss://` for TLS). A secret: it may hold a password. */
  connectionString: string({ secret: true }).required('the Redis URL, such as redis://localhost:6379.'),
};

/** The keys of `IdentityWeb:TokenCache:Postgres`. */
const POSTGRES = {
  /** `postgresql://user:password@host:port/database`. A secret: it may hold a password. */
  connectionString: string({ secret: true }).required(
    'the PostgreSQL URL, such as postgresql://app@localhost:5432/app.',
  ),
  /** Table holding the partitions, created when missing. Default `identity_web_token_cache`. */
  table: string().default('identity_web_token_cache'),
};

/**
 * Redis holding the token cache, from configuration alone.
 *
 * @example
 * ```ts
 * const redis: TokenCacheRedisOptions = { connectionString: 'redis://cache.internal:6379' };
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- an interface, so editors show its name
export interface TokenCacheRedisOptions extends InputOf<typeof REDIS> {}

/**
 * PostgreSQL holding the token cache, from configuration alone.
 *
 * @example
 * ```ts
 * const postgres: TokenCachePostgresOptions = { connectionString: 'postgresql://app@db:5432/app' };
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- an interface, so editors show its name
export interface TokenCachePostgresOptions extends InputOf<typeof POSTGRES> {}

/** `tokenCache.postgres` once validated. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- an interface, so editors show its name
export interface ResolvedTokenCachePostgresOptions extends ResolvedOf<typeof POSTGRES> {}

/** The keys of `IdentityWeb:TokenCache`. */
const TOKEN_CACHE = {
  /**
   * Where partitions are kept, given in code: a `TokenCacheStore`, or a cache-manager 7 `Cache`
   * (`CACHE_MANAGER` of `@nestjs/cache-manager`). In memory when absent and no Redis or Postgres is set.
   */
  store: store(),
  /** Redis from configuration (`IdentityWeb:TokenCache:Redis:ConnectionString`). */
  redis: section<TokenCacheRedisOptions>(REDIS),
  /** PostgreSQL from configuration (`IdentityWeb:TokenCache:Postgres:ConnectionString`). */
  postgres: section<TokenCachePostgresOptions, ResolvedTokenCachePostgresOptions>(POSTGRES),
  /**
   * Keys encrypting partitions in a distributed store (AES-256-GCM): the first encrypts, all decrypt.
   * Rotate by putting a new key first and removing the old one after the user partition lifetime.
   */
  encryptionKeys: custom(readEncryptionKeys, { secret: true }),
  /** Prefix of every key written to a distributed store, before the client id. Default `iw`. */
  keyPrefix: string().default('iw'),
  /** A user's tokens are kept at least this long after their last use, in seconds. Default 14 days. */
  userPartitionLifetimeSeconds: number({ min: 60, integer: true }).default(14 * 24 * 3600),
  /** Entries in the in-process index of valid access tokens. Default 100 000. */
  hotIndexSize: number({ min: 0, integer: true }).default(100_000),
  /**
   * Keep partitions read from a distributed store in process (L1) and index their tokens. Default
   * `true`. `false` reads the store on every call: no instance can serve a replaced token.
   */
  l1Enabled: boolean().default(true),
  /** Partitions kept in L1 (least recently used evicted). Default 10 000. */
  l1MaxEntries: number({ min: 1, integer: true }).default(10_000),
  /**
   * Longest time, in seconds, L1 (and the token index) trust a partition without another
   * instance's invalidation: the staleness bound if a message is lost. Default 30.
   */
  l1LifetimeSeconds: number({ min: 1, integer: true }).default(30),
  /** Time-out of each call to a distributed store, in milliseconds. Default 250. */
  storeTimeoutMs: number({ min: 1, integer: true }).default(250),
  /** Writes kept while the distributed store is unreachable, replayed when it returns. Default 10 000. */
  writeQueueSize: number({ min: 0, integer: true }).default(10_000),
};

/**
 * Token cache settings: in memory by default; Redis, PostgreSQL or a cache-manager `Cache` for several instances.
 *
 * @example
 * ```ts
 * const tokenCache: TokenCacheOptions = {
 *   redis: { connectionString: 'redis://cache.internal:6379' },
 *   encryptionKeys: [{ id: '2026-12', key: process.env.TOKEN_CACHE_KEY! }],
 * };
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- an interface, so editors show its name
export interface TokenCacheOptions extends InputOf<typeof TOKEN_CACHE> {}

/** `tokenCache` once validated. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- an interface, so editors show its name
export interface ResolvedTokenCacheOptions extends ResolvedOf<typeof TOKEN_CACHE> {}

/** Reads the section: its keys, then the rules between them. */
function readTokenCache(section: SectionReader): ResolvedTokenCacheOptions {
  const read = readFields(TOKEN_CACHE, section) as ResolvedTokenCacheOptions;
  const given = [
    read.store !== undefined && 'Store',
    read.redis && 'Redis',
    read.postgres && 'Postgres',
  ].filter(Boolean);
  if (given.length > 1) {
    section.report.error(
      section.pathOf(given[1] as string),
      `and ${given[0]} are both set: choose one store.`,
    );
  }
  if (read.postgres && !/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(read.postgres.table)) {
    section.report.error(
      `${section.pathOf('Postgres')}:Table`,
      'must be a plain table name: letters, digits and "_", not starting with a digit.',
    );
  }
  const distributed = read.redis !== undefined || read.postgres !== undefined || read.store !== undefined;
  if (distributed && !read.encryptionKeys && section.env.NODE_ENV === 'production') {
    section.report.warn(
      section.pathOf('EncryptionKeys'),
      'is not set: tokens are kept in the distributed store unencrypted; give at least one key in production.',
    );
  }
  return read;
}

/** The `TOKEN_CACHE` section. */
export const TOKEN_CACHE_SECTION = section<TokenCacheOptions, ResolvedTokenCacheOptions>(
  TOKEN_CACHE,
  readTokenCache,
);
