import { randomBytes } from 'node:crypto';
import type { EventEmitter } from 'node:events';
import { dirname } from 'node:path';
import { Logger } from '@nestjs/common';
import type { Cache } from 'cache-manager';
import { InvalidConfigurationError } from '../errors';
import type { IdentityWebOptions } from '../options/identity-web.options';
import { CacheManagerTokenCacheStore, isCacheManagerCache } from './cache-manager-token-cache.store';
import { DistributedTokenCacheStore } from './distributed-token-cache.store';
import { InMemoryTokenCacheStore } from './in-memory-token-cache.store';
import {
  invalidationChannel,
  PostgresInvalidationBus,
  RedisInvalidationBus,
  type TokenCacheInvalidationBus,
} from './invalidation-bus';
import { TokenCacheCodec } from './token-cache.codec';
import { isTokenCacheStore, type TokenCacheStore } from './token-cache.store';

type StoreOptions = Pick<IdentityWebOptions, 'tokenCache'> & {
  azureAd: Pick<IdentityWebOptions['azureAd'], 'clientId'>;
};

/**
 * The token cache store the options describe: a `TokenCacheStore` given in code as is; a
 * cache-manager `Cache` given in code, or Redis / PostgreSQL from configuration, behind a
 * {@link DistributedTokenCacheStore} (namespaced by client id, encrypted with the configured
 * keys, L1 and circuit breaker); otherwise an in-memory store.
 *
 * @example
 * ```ts
 * const store = createTokenCacheStore(options); // InMemoryTokenCacheStore unless configured
 * ```
 */
export function createTokenCacheStore(options: StoreOptions): TokenCacheStore {
  const settings = options.tokenCache;
  const given = settings.store;
  if (given !== undefined && !isCacheManagerCache(given)) {
    if (!isTokenCacheStore(given)) {
      throw new InvalidConfigurationError(
        'TokenCache:Store',
        'must be a TokenCacheStore (an object with get, set and remove methods) or a cache-manager Cache.',
      );
    }
    return given;
  }
  let cache: Cache | undefined = given;
  let bus: TokenCacheInvalidationBus | undefined;
  let maintenance: { everyMs: number; run: () => Promise<void> } | undefined;
  let closePool: (() => Promise<void>) | undefined;
  const namespace = `${settings.keyPrefix}:${options.azureAd.clientId.toLowerCase()}`;
  const logger = new Logger('IdentityWeb:TokenCache');
  const busError = onceLogged(logger, 'The token cache invalidation channel failed');
  if (settings.redis) {
    const url = settings.redis.connectionString;
    const keyvRedis = load<typeof import('@keyv/redis')>('@keyv/redis', 'Redis:ConnectionString');
    const cacheManager = load<typeof import('cache-manager')>('cache-manager', 'Redis:ConnectionString');
    const client = {
      url,
      disableOfflineQueue: true,
      socket: { connectTimeout: settings.storeTimeoutMs * 4 },
    };
    const adapter = new keyvRedis.default(client, { throwOnConnectError: true, throwOnErrors: true });
    adapter.on('error', () => undefined); // failures reach the caller, which counts them
    const keyv = new keyvRedis.Keyv(adapter, { useKeyPrefix: false, throwOnErrors: true });
    keyv.namespace = undefined; // keys are ours, `<prefix>:<client id>:<kind>:...`, without Keyv's `keyv::`
    keyv.on('error', () => undefined);
    cache = cacheManager.createCache({ stores: [keyv] });
    bus = new RedisInvalidationBus(
      keyvRedis.createClient({ url, disableOfflineQueue: true }) as never,
      invalidationChannel(namespace),
      busError,
    );
  } else if (settings.postgres) {
    const { connectionString, table } = settings.postgres;
    const keyvPostgres = load<typeof import('@keyv/postgres')>('@keyv/postgres', 'Postgres:ConnectionString');
    const { Keyv } = load<typeof import('keyv')>('keyv', 'Postgres:ConnectionString');
    const cacheManager = load<typeof import('cache-manager')>('cache-manager', 'Postgres:ConnectionString');
    // Bounded connects and queries: a connection left hanging by a server that went away would
    // otherwise hold a pool slot forever, and the pool never recovers when the server returns.
    const bound = Math.max(1000, settings.storeTimeoutMs * 4);
    // @keyv/postgres keeps one pool per process and ends whichever was created last on
    // disconnect: a connection string of this store's own gives it a pool of its own, which it
    // ends itself.
    const own = `${connectionString}${connectionString.includes('?') ? '&' : '?'}application_name=identity-web-token-cache-${randomBytes(4).toString('hex')}`;
    const { store: adapter, pool } = withPoolErrorsHandled(
      () =>
        new keyvPostgres.KeyvPostgres({
          uri: own,
          table,
          max: 4,
          connectionTimeoutMillis: bound,
          query_timeout: bound,
        } as never),
      onceLogged(logger, 'A PostgreSQL connection of the token cache failed'),
    );
    closePool = () => pool.end();
    adapter.on('error', () => undefined);
    const keyv = new Keyv(adapter, { useKeyPrefix: false, throwOnErrors: true });
    keyv.namespace = undefined;
    keyv.on('error', () => undefined);
    cache = cacheManager.createCache({ stores: [keyv] });
    // Keyv keeps PostgreSQL rows past their expiry until they are read: remove them every 10 minutes.
    maintenance = {
      everyMs: 600_000,
      run: async () => {
        await adapter.query(
          `DELETE FROM ${table} WHERE key LIKE $1 AND (value::json->>'expires')::bigint < $2`,
          [`${namespace}:%`, Date.now()],
        );
      },
    };
    bus = new PostgresInvalidationBus(
      load('pg', 'Postgres:ConnectionString'),
      connectionString,
      invalidationChannel(namespace),
      busError,
    );
  }
  if (!cache) return new InMemoryTokenCacheStore();
  return new DistributedTokenCacheStore(new CacheManagerTokenCacheStore(cache, closePool), {
    namespace,
    codec: new TokenCacheCodec(settings.encryptionKeys ?? []),
    userLifetimeSeconds: settings.userPartitionLifetimeSeconds,
    l1: settings.l1Enabled
      ? { maxEntries: settings.l1MaxEntries, lifetimeMs: settings.l1LifetimeSeconds * 1000 }
      : false,
    timeoutMs: settings.storeTimeoutMs,
    writeQueueSize: settings.writeQueueSize,
    bus,
    logger,
    closeStore: cache !== given,
    maintenance,
  });
}

/** An optional dependency the configuration needs, or a start-up error naming the key and the package. */
function load<T>(name: string, key: string): T {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- optional peer dependency, loaded only when configured
    return require(name) as T;
  } catch {
    throw new InvalidConfigurationError(
      `TokenCache:${key}`,
      `needs the package ${name}: npm install ${name}.`,
    );
  }
}

/**
 * Builds a KeyvPostgres store whose `pg` pool has an `error` listener. The pool is created inside
 * the store, which listens to nothing on it; and a pool with no listener throws the errors of its
 * idle connections (a server restart: "terminating connection due to administrator command") as
 * uncaught exceptions, which end the process.
 */
function withPoolErrorsHandled<T>(
  create: () => T,
  onError: (error: unknown) => void,
): { store: T; pool: { end(): Promise<void> } } {
  const from = dirname(require.resolve('@keyv/postgres'));
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the very module instance @keyv/postgres uses
  const pg = require(require.resolve('pg', { paths: [from] })) as {
    Pool: new (...args: unknown[]) => EventEmitter;
  };
  const Pool = pg.Pool;
  let created: (EventEmitter & { end(): Promise<void> }) | undefined;
  pg.Pool = class extends Pool {
    constructor(...args: unknown[]) {
      super(...args);
      this.on('error', onError);
      created = this as never;
    }
  };
  try {
    const store = create(); // the store creates its pool synchronously, in its constructor
    if (!created) throw new Error('@keyv/postgres created no pg pool: this version is not supported.');
    return { store, pool: created };
  } finally {
    pg.Pool = Pool;
  }
}

/** Logs the first failure only: a channel down for minutes must not write a line per retry. */
function onceLogged(logger: Logger, what: string): (error: unknown) => void {
  let logged = false;
  return (error) => {
    if (logged) return;
    logged = true;
    logger.warn(`${what}: ${error instanceof Error ? error.message : String(error)} (logged once).`);
  };
}
