import { randomBytes } from 'node:crypto';
import type { DistributedTokenCacheStoreOptions } from './distributed-token-cache.options';
import { DistributedTokenCacheStore } from './distributed-token-cache.store';
import type { TokenCacheInvalidationBus } from './invalidation-bus';
import { TokenCacheCodec } from './token-cache.codec';
import { TokenCacheStore } from './token-cache.store';

/** A shared store that can be taken down: its calls then fail, or never answer. */
class FlakyStore extends TokenCacheStore {
  readonly data = new Map<string, { value: string; ttl?: number }>();
  mode: 'up' | 'failing' | 'hanging' = 'up';
  calls = 0;

  private async enter(): Promise<void> {
    this.calls++;
    if (this.mode === 'failing') throw new Error('ECONNREFUSED');
    if (this.mode === 'hanging') await new Promise(() => undefined);
  }
  override async get(key: string) {
    await this.enter();
    return this.data.get(key)?.value;
  }
  override async set(key: string, value: string, ttl?: number) {
    await this.enter();
    this.data.set(key, { value, ttl });
  }
  override async remove(key: string) {
    await this.enter();
    this.data.delete(key);
  }
}

/** A bus between stores of one process, delivering synchronously. */
class LocalBus implements TokenCacheInvalidationBus {
  private static readonly all: LocalBus[] = [];
  private onMessage: ((m: string | null) => void) | undefined;
  async start(onMessage: (m: string | null) => void) {
    this.onMessage = onMessage;
    LocalBus.all.push(this);
  }
  async publish(message: string) {
    for (const bus of LocalBus.all) bus.onMessage?.(message);
  }
  async close() {}
}

const partition = (tokens: Record<string, string>) =>
  JSON.stringify({
    Account: {},
    AccessToken: Object.fromEntries(Object.entries(tokens).map(([k, v]) => [k, { secret: v }])),
  });

describe('DistributedTokenCacheStore', () => {
  let l2: FlakyStore;
  let now: number;
  const logs: string[] = [];
  const made: DistributedTokenCacheStore[] = [];
  const make = (options: Partial<DistributedTokenCacheStoreOptions> = {}) => {
    const store = new DistributedTokenCacheStore(l2, {
      namespace: 'iw:client',
      now: () => now,
      timeoutMs: 50,
      logger: { log: (m) => logs.push(`log ${m}`), warn: (m) => logs.push(`warn ${m}`) },
      ...options,
    });
    made.push(store);
    return store;
  };

  afterEach(async () => {
    await Promise.all(made.splice(0).map((s) => s.close()));
  });

  beforeEach(() => {
    l2 = new FlakyStore();
    now = Date.UTC(2026, 11, 2);
    logs.length = 0;
  });

  it('answers a second read from L1 without calling the store, until the L1 lifetime ends', async () => {
    const store = make({ l1: { maxEntries: 10, lifetimeMs: 30_000 } });
    await store.set('user:a', partition({ x: 'at-1' }));
    const calls = l2.calls;
    expect(await store.get('user:a')).toBe(partition({ x: 'at-1' }));
    expect(l2.calls).toBe(calls);
    now += 30_001;
    expect(await store.get('user:a')).toBe(partition({ x: 'at-1' }));
    expect(l2.calls).toBe(calls + 1);
  });

  it('with L1 off, reads the store on every call', async () => {
    const store = make({ l1: false });
    await store.set('user:a', partition({ x: 'at-1' }));
    const calls = l2.calls;
    await store.get('user:a');
    await store.get('user:a');
    expect(l2.calls).toBe(calls + 2);
  });

  it('drops its L1 copy when another instance writes the partition, and tells its listeners', async () => {
    const a = make({ bus: new LocalBus() });
    const b = make({ bus: new LocalBus() });
    await Promise.all([a.ready, b.ready]);
    const heard: Array<string | null> = [];
    b.onInvalidate((p) => heard.push(p));
    await a.set('user:a', partition({ x: 'at-1' }));
    expect(await b.get('user:a')).toBe(partition({ x: 'at-1' }));
    await a.set('user:a', partition({ x: 'at-2' }));
    expect(heard).toEqual(['user:a', 'user:a']);
    expect(await b.get('user:a')).toBe(partition({ x: 'at-2' }));
  });

  it('slides a user partition at most once a day, and keeps it 14 days and a day', async () => {
    const store = make({ l1: false });
    await store.set('user:a', partition({ x: 'at-1' }));
    expect(l2.data.get('iw:client:user:a')!.ttl).toBe(15 * 86_400);
    const written = l2.data.get('iw:client:user:a')!.value;
    now += 3600_000;
    await store.get('user:a');
    expect(l2.data.get('iw:client:user:a')!.value).toBe(written);
    now += 86_400_000;
    await store.get('user:a');
    await new Promise((r) => setImmediate(r));
    expect(l2.data.get('iw:client:user:a')!.value).not.toBe(written);
  });

  it('treats a value that does not decrypt as absent, with one warning for repeated reads', async () => {
    const key = { id: 'k1', key: randomBytes(32).toString('base64') };
    const store = make({ l1: false, codec: new TokenCacheCodec([key]) });
    await store.set('user:victim', partition({ x: 'at-victim' }));
    l2.data.set('iw:client:user:thief', l2.data.get('iw:client:user:victim')!);
    l2.data.set('iw:client:user:garbage', { value: 'not ours' });
    expect(await store.get('user:thief')).toBeUndefined();
    expect(await store.get('user:thief')).toBeUndefined();
    expect(await store.get('user:garbage')).toBeUndefined();
    expect(logs.filter((l) => l.includes('does not decrypt'))).toHaveLength(2);
    expect(await store.get('user:victim')).toBe(partition({ x: 'at-victim' }));
  });

  it('decrypts values of an older key after rotation, and writes with the new one', async () => {
    const old = { id: 'old', key: randomBytes(32).toString('base64') };
    const next = { id: 'new', key: randomBytes(32).toString('base64') };
    await make({ l1: false, codec: new TokenCacheCodec([old]) }).set('user:a', partition({ x: 'at-1' }));
    const rotated = make({ l1: false, codec: new TokenCacheCodec([next, old]) });
    expect(await rotated.get('user:a')).toBe(partition({ x: 'at-1' }));
    await rotated.set('user:a', partition({ x: 'at-2' }));
    expect(l2.data.get('iw:client:user:a')!.value).toMatch(/^e1\.new\./);
  });

  describe('when the store is down', () => {
    it.each(['failing', 'hanging'] as const)(
      'serves L1, queues writes, opens the circuit once (%s), and replays the queue when it returns',
      async (mode) => {
        const store = make({ breaker: { failures: 2, openMs: 1000 } });
        await store.set('user:a', partition({ x: 'at-1' }));
        l2.mode = mode;
        for (let i = 0; i < 5; i++) expect(await store.get('user:a')).toBe(partition({ x: 'at-1' }));
        now += 60_000; // past the L1 lifetime: still served, as nothing better is at hand
        for (let i = 0; i < 5; i++) {
          expect(await store.getForUpdate('user:a')).toBe(partition({ x: 'at-1' }));
        }
        expect(await store.get('user:nobody')).toBeUndefined();
        await store.set('user:a', partition({ x: 'at-2' }));
        await store.set('app:c:t', partition({ y: 'app-1' }));
        await store.remove('user:gone');
        expect(store.health()).toMatchObject({ status: 'down', circuit: 'open', queuedWrites: 3 });
        expect(logs.filter((l) => l.startsWith('warn'))).toHaveLength(1);
        // Back: the next call after the open period probes, closes the circuit and replays.
        l2.mode = 'up';
        l2.data.set('iw:client:user:gone', { value: 'x' });
        now += 1000;
        await store.get('user:b');
        await new Promise((r) => setTimeout(r, 20));
        expect(store.health()).toMatchObject({ status: 'up', circuit: 'closed', queuedWrites: 0 });
        expect(logs.filter((l) => l.startsWith('log'))).toHaveLength(1);
        const reader = make({ l1: false });
        const tokensOf = async (p: string) =>
          (JSON.parse((await reader.get(p))!) as { AccessToken: object }).AccessToken;
        expect(await tokensOf('user:a')).toEqual({ x: { secret: 'at-2' } });
        expect(await tokensOf('app:c:t')).toEqual({ y: { secret: 'app-1' } });
        // Removed: the key holds a tombstone, read as absent.
        expect(l2.data.get('iw:client:user:gone')?.value).not.toBe('x');
        expect(await reader.get('user:gone')).toBeUndefined();
      },
    );

    it('drops a queued write of a partition another instance removed meanwhile, but replays a sign-in', async () => {
      const store = make({ breaker: { failures: 1, openMs: 1000 } });
      await store.set('user:a', partition({ x: 'at-1' }));
      await store.set('user:b', partition({ x: 'b-1' }));
      l2.mode = 'failing';
      await store.set('user:a', partition({ x: 'at-2' })); // a refresh written back: queued
      await store.setFromSignIn('user:b', partition({ x: 'b-2' })); // a new sign-in: queued
      expect(store.health().queuedWrites).toBe(2);
      l2.mode = 'up';
      const other = make({ l1: false });
      await other.remove('user:a');
      await other.remove('user:b');
      now += 1000;
      await store.get('user:probe');
      await new Promise((r) => setTimeout(r, 20));
      expect(store.health().queuedWrites).toBe(0);
      expect(await other.get('user:a')).toBeUndefined();
      expect(await store.get('user:a')).toBeUndefined();
      expect(await other.get('user:b')).toBe(partition({ x: 'b-2' }));
    });

    it('keeps at most writeQueueSize writes and counts the ones dropped', async () => {
      const store = make({ breaker: { failures: 1, openMs: 1000 }, writeQueueSize: 2 });
      l2.mode = 'failing';
      for (const p of ['user:a', 'user:b', 'user:c', 'user:a']) await store.set(p, partition({}));
      expect(store.health()).toMatchObject({ queuedWrites: 2, droppedWrites: 1 });
    });

    it('merges a queued write with what another instance wrote meanwhile', async () => {
      const store = make({ breaker: { failures: 1, openMs: 1000 } });
      l2.mode = 'failing';
      await store.set('user:a', partition({ mine: 'at-mine' }));
      l2.mode = 'up';
      await make({ l1: false }).set('user:a', partition({ theirs: 'at-theirs' }));
      now += 1000;
      await store.get('user:probe');
      await new Promise((r) => setTimeout(r, 20));
      const merged = JSON.parse((await make({ l1: false }).get('user:a'))!) as { AccessToken: object };
      expect(Object.keys(merged.AccessToken).sort()).toEqual(['mine', 'theirs']);
    });
  });
});
