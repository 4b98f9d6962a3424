import { createHash } from 'node:crypto';

/**
 * Carries "this partition changed" between the instances sharing a distributed token cache, so
 * each drops its in-process copy (L1) and indexed tokens of it. At most once: a lost message is
 * covered by the bounded L1 lifetime. A message of `null` means "anything may have changed" (the
 * bus reconnected and may have missed messages).
 *
 * @example
 * ```ts
 * await bus.start((message) => console.log('changed elsewhere:', message));
 * await bus.publish('instance-1 user:uid.utid');
 * ```
 */
export interface TokenCacheInvalidationBus {
  /** Connects and delivers every message published by any instance (this one included) to `onMessage`. */
  start(onMessage: (message: string | null) => void): Promise<void>;
  publish(message: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * The channel of one token cache namespace: short and made of safe characters, so it is also a
 * valid PostgreSQL identifier.
 *
 * @example
 * ```ts
 * invalidationChannel('iw:11111111-2222-3333-4444-555555555555'); // 'iw_tc_3f1c…'
 * ```
 */
export function invalidationChannel(namespace: string): string {
  return `iw_tc_${createHash('sha256').update(namespace).digest('hex').slice(0, 24)}`;
}

/** The part of a `@redis/client` client the Redis bus uses. */
interface RedisClientLike {
  connect(): Promise<unknown>;
  duplicate(): RedisClientLike;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  publish(channel: string, message: string): Promise<unknown>;
  subscribe(channel: string, listener: (message: string) => void): Promise<unknown>;
  destroy(): void;
}

/**
 * Invalidation over Redis pub/sub, on its own two connections (a subscribed connection can do
 * nothing else) to the same server as the store.
 *
 * @example
 * ```ts
 * const { createClient } = await import('@keyv/redis');
 * const bus = new RedisInvalidationBus(createClient({ url }), 'iw_tc_…');
 * ```
 */
export class RedisInvalidationBus implements TokenCacheInvalidationBus {
  private subscriber: RedisClientLike | undefined;
  private started = false;

  constructor(
    private readonly publisher: RedisClientLike,
    private readonly channel: string,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  async start(onMessage: (message: string | null) => void): Promise<void> {
    this.subscriber = this.publisher.duplicate();
    for (const client of [this.publisher, this.subscriber]) client.on('error', (e) => this.onError(e));
    // After a reconnection messages may have been missed: say so.
    this.subscriber.on('ready', () => {
      if (this.started) onMessage(null);
    });
    await Promise.all([this.publisher.connect(), this.subscriber.connect()]);
    await this.subscriber.subscribe(this.channel, (message) => onMessage(message));
    this.started = true;
  }

  async publish(message: string): Promise<void> {
    await this.publisher.publish(this.channel, message);
  }

  async close(): Promise<void> {
    this.subscriber?.destroy();
    this.publisher.destroy();
  }
}

/** The part of `pg` the PostgreSQL bus uses. */
interface PgLike {
  Client: new (config: { connectionString: string }) => PgClientLike;
}
interface PgClientLike {
  connect(): Promise<unknown>;
  query(sql: string, values?: unknown[]): Promise<unknown>;
  on(event: string, listener: (...args: never[]) => void): unknown;
  end(): Promise<void>;
}

/**
 * Invalidation over PostgreSQL `LISTEN`/`NOTIFY`, on two connections of its own; the listening
 * one reconnects after a failure (and then reports that messages may have been missed).
 *
 * @example
 * ```ts
 * const bus = new PostgresInvalidationBus(require('pg'), 'postgresql://app@db/app', 'iw_tc_…');
 * ```
 */
export class PostgresInvalidationBus implements TokenCacheInvalidationBus {
  private listener: PgClientLike | undefined;
  private notifier: Promise<PgClientLike> | undefined;
  private closed = false;
  private retry: NodeJS.Timeout | undefined;

  constructor(
    private readonly pg: PgLike,
    private readonly connectionString: string,
    private readonly channel: string,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  async start(onMessage: (message: string | null) => void): Promise<void> {
    await this.listen(onMessage);
  }

  private async listen(onMessage: (message: string | null) => void): Promise<void> {
    const client = new this.pg.Client({ connectionString: this.connectionString });
    this.listener = client;
    client.on('notification', (n: { channel: string; payload?: string }) => {
      if (n.channel === this.channel && n.payload !== undefined) onMessage(n.payload);
    });
    client.on('error', (error: unknown) => {
      this.onError(error);
      void client.end().catch(() => undefined);
      this.reconnect(onMessage);
    });
    await client.connect();
    await client.query(`LISTEN ${this.channel}`);
  }

  private reconnect(onMessage: (message: string | null) => void): void {
    if (this.closed || this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      this.listen(onMessage).then(
        () => onMessage(null),
        (error) => {
          this.onError(error);
          this.reconnect(onMessage);
        },
      );
    }, 1000);
    this.retry.unref();
  }

  async publish(message: string): Promise<void> {
    this.notifier ??= this.connectNotifier();
    const client = await this.notifier;
    await client.query('SELECT pg_notify($1, $2)', [this.channel, message]);
  }

  private async connectNotifier(): Promise<PgClientLike> {
    const client = new this.pg.Client({ connectionString: this.connectionString });
    client.on('error', (error: unknown) => {
      this.onError(error);
      this.notifier = undefined; // the next publish connects again
    });
    try {
      await client.connect();
      return client;
    } catch (error) {
      this.notifier = undefined;
      throw error;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    await this.listener?.end().catch(() => undefined);
    await this.notifier?.then((c) => c.end()).catch(() => undefined);
  }
}
