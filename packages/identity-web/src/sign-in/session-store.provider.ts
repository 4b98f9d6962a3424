import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import session from 'express-session';
import { InvalidConfigurationError } from '../errors';
import { IdentityWebOptions } from '../options/identity-web.options';
import { TokenCacheCodec } from '../token-cache/token-cache.codec';
import { EncryptedSessionStore } from './encrypted-session.store';

/**
 * Refuses a generated session secret where several instances must share sessions: a shared
 * session store, or sessions in the cookie beside a shared token cache (each instance would sign
 * or seal with its own random secret). Run by the web front doors before anything is opened, so a
 * refused start leaves no connection behind; workers, which keep no sessions, never run it.
 *
 * @example
 * ```ts
 * refuseGeneratedSecretWhenShared(options); // throws InvalidConfigurationError naming IdentityWeb:Session:Secret
 * ```
 */
export function refuseGeneratedSecretWhenShared(options: IdentityWebOptions): IdentityWebOptions {
  const { session: settings, tokenCache } = options;
  if (!settings.generatedSecret) return options;
  const sharedTokens = Boolean(tokenCache.redis ?? tokenCache.postgres ?? tokenCache.store);
  const shared =
    settings.mode === 'cookie'
      ? sharedTokens
      : settings.store !== undefined
        ? !(settings.store instanceof session.MemoryStore)
        : Boolean(settings.redis ?? settings.postgres ?? tokenCache.redis ?? tokenCache.postgres);
  if (!shared) return options;
  const why =
    settings.mode === 'cookie'
      ? 'sessions are kept in the cookie and tokens in a shared store (several instances): every instance ' +
        'must open the session cookie with the same secret.'
      : 'sessions are kept in a shared store: every instance must sign the session cookie with the same secret.';
  throw new InvalidConfigurationError(
    'IdentityWeb:Session:Secret',
    `is not set, but ${why} Set IdentityWeb__Session__Secret (at least 32 characters) on every instance.`,
  );
}

/** A store the library opened, and how to close it. */
interface Opened {
  store: session.Store;
  close(): Promise<void>;
}

/**
 * The express-session store the options describe, opened once: `session.store` given in code;
 * Redis (connect-redis) or PostgreSQL (connect-pg-simple) from `IdentityWeb:Session`, else from
 * `IdentityWeb:TokenCache`; else none (express-session's MemoryStore, one instance only; and with
 * `Mode: "cookie"`, none at all). A shared store keeps session values encrypted with
 * `IdentityWeb:TokenCache:EncryptionKeys`. Closed at application shutdown. A generated session
 * secret with a shared store is refused ({@link refuseGeneratedSecretWhenShared}).
 *
 * @example
 * ```ts
 * const store = app.get(SessionStoreProvider).store; // EncryptedSessionStore over connect-redis
 * ```
 */
@Injectable()
export class SessionStoreProvider implements OnApplicationShutdown {
  /** `undefined` for the in-memory default. */
  readonly store: session.Store | undefined;
  private readonly close: () => Promise<void>;

  constructor(options: IdentityWebOptions) {
    refuseGeneratedSecretWhenShared(options);
    const opened = openStore(options);
    if (opened === undefined) {
      this.store = undefined;
      this.close = async () => undefined;
      return;
    }
    const keys = options.tokenCache.encryptionKeys ?? [];
    if (keys.length === 0 && process.env.NODE_ENV === 'production') {
      new Logger('IdentityWeb').warn(
        'IdentityWeb:TokenCache:EncryptionKeys is not set: sessions in the shared store are compressed, not encrypted.',
      );
    }
    this.store = new EncryptedSessionStore(opened.store, new TokenCacheCodec(keys));
    this.close = opened.close;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }
}

function openStore(options: IdentityWebOptions): Opened | undefined {
  const settings = options.session;
  if (settings.mode === 'cookie') return undefined;
  if (settings.store !== undefined) {
    const given = settings.store as session.Store;
    // A MemoryStore given in code stays what it is: one process, nothing to encrypt against.
    return given instanceof session.MemoryStore ? undefined : { store: given, close: async () => undefined };
  }
  const cache = options.tokenCache;
  const redis = settings.redis ?? (settings.postgres ? undefined : cache.redis);
  const postgres = settings.postgres ?? (settings.redis ? undefined : cache.postgres);
  const namespace = `${cache.keyPrefix}:${options.azureAd.clientId.toLowerCase()}:session:`;
  if (redis) {
    const key = settings.redis ? 'Session:Redis:ConnectionString' : 'TokenCache:Redis:ConnectionString';
    const { createClient } = load<typeof import('redis')>('redis', key);
    const { RedisStore } = load<typeof import('connect-redis')>('connect-redis', key);
    const client = createClient({ url: redis.connectionString });
    const logger = new Logger('IdentityWeb:Session');
    let logged = false;
    client.on('error', (err: Error) => {
      if (logged) return;
      logged = true;
      logger.error(`The session store (Redis) failed: ${err.message} (logged once).`);
    });
    void client.connect().catch(() => undefined);
    return {
      store: new RedisStore({ client, prefix: namespace }),
      close: async () => {
        await client.close().catch(() => undefined);
      },
    };
  }
  if (postgres) {
    const key = settings.postgres
      ? 'Session:Postgres:ConnectionString'
      : 'TokenCache:Postgres:ConnectionString';
    const PgStore = load<typeof import('connect-pg-simple')>('connect-pg-simple', key)(session);
    const table = settings.postgres?.table ?? 'identity_web_sessions';
    const store = new PgStore({
      conString: postgres.connectionString,
      tableName: table,
      createTableIfMissing: true,
    });
    return { store, close: async () => store.close() };
  }
  return undefined;
}

/** An optional dependency the configuration needs, or a start-up error naming the key and the package. */
function load<T>(name: string, key: string): T {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- optional peer dependency, loaded only when configured
    return require(name) as T;
  } catch {
    throw new InvalidConfigurationError(
      `IdentityWeb:${key}`,
      `needs the package ${name}: npm install ${name}.`,
    );
  }
}
