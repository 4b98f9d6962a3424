import { InMemoryTokenCacheStore } from './in-memory-token-cache.store';
import { isTokenCacheStore } from './token-cache.store';

describe('InMemoryTokenCacheStore', () => {
  it('stores, reads and removes partitions', async () => {
    const store = new InMemoryTokenCacheStore();
    await store.set('a', '{"x":1}');
    expect(await store.get('a')).toBe('{"x":1}');
    await store.remove('a');
    await store.remove('missing');
    expect(await store.get('a')).toBeUndefined();
  });

  it('keeps partitions deflated, and gives them back unchanged (non-ASCII included)', async () => {
    const partition = JSON.stringify({
      Account: { 'u.t-host-t': { username: 'zoë@contoso.example', name: '山田 太郎' } },
      RefreshToken: { rt: { secret: 'x'.repeat(1200) } },
    });
    const compressed = new InMemoryTokenCacheStore();
    const plain = new InMemoryTokenCacheStore({ compress: false });
    await compressed.set('a', partition);
    await plain.set('a', partition);
    expect(await compressed.get('a')).toBe(partition);
    expect(await plain.get('a')).toBe(partition);
    expect(compressed.storedBytes).toBeLessThan(partition.length / 4);
    expect(plain.storedBytes).toBe(Buffer.byteLength(partition, 'utf8'));
  });

  it('forgets a partition after its TTL', async () => {
    let now = 1_000_000;
    const store = new InMemoryTokenCacheStore({ now: () => now });
    await store.set('a', 'v', 60);
    now += 59_999;
    expect(await store.get('a')).toBe('v');
    now += 1;
    expect(await store.get('a')).toBeUndefined();
    expect(store.size).toBe(0);
  });

  it('applies the default TTL when a partition has none', async () => {
    let now = 0;
    const store = new InMemoryTokenCacheStore({ now: () => now, defaultTtlSeconds: 10 });
    await store.set('a', 'v');
    now = 10_000;
    expect(await store.get('a')).toBeUndefined();
  });

  it('keeps at most maxEntries partitions, evicting the least recently used', async () => {
    const store = new InMemoryTokenCacheStore({ maxEntries: 2 });
    await store.set('a', '1');
    await store.set('b', '2');
    await store.get('a');
    await store.set('c', '3');
    expect(await store.get('b')).toBeUndefined();
    expect(await store.get('a')).toBe('1');
    expect(await store.get('c')).toBe('3');
  });

  it('is recognised as a TokenCacheStore, as is a plain object with the three methods', () => {
    expect(isTokenCacheStore(new InMemoryTokenCacheStore())).toBe(true);
    expect(
      isTokenCacheStore({ get: async () => undefined, set: async () => {}, remove: async () => {} }),
    ).toBe(true);
    expect(isTokenCacheStore({ get: async () => undefined })).toBe(false);
    expect(isTokenCacheStore(undefined)).toBe(false);
  });
});
