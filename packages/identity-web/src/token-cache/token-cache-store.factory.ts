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
    const adapter = new keyvPostgres.KeyvPostgres({ uri: connectionString, table, max: 4 } as never);
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
  return new DistributedTokenCacheStore(new CacheManagerTokenCacheStore(cache), {
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

/** Logs the first failure only: a channel down for minutes must not write a line per retry. */
function onceLogged(logger: Logger, what: string): (error: unknown) => void {
  let logged = false;
  return (error) => {
    if (logged) return;
    logged = true;
    logger.warn(`${what}: ${error instanceof Error ? error.message : String(error)} (logged once).`);
  };
}
