import type { AccessToken } from './access-token';
import { HotTokenIndex, RENEWAL_WINDOW_MS } from './hot-token.index';

const T0 = Date.UTC(2030, 0, 1);

function token(expiresInMs: number, name = 'at'): AccessToken {
  return {
    accessToken: name,
    expiresOn: new Date(T0 + expiresInMs),
    scopes: ['user.read'],
    tokenType: 'Bearer',
  };
}

describe('HotTokenIndex', () => {
  let now: number;
  const clock = () => now;
  beforeEach(() => {
    now = T0;
  });

  it('serves a token until 300 s before it expires, as MSAL renews it', () => {
    const index = new HotTokenIndex(10, clock);
    const key = HotTokenIndex.subKey(['user.read'], '', '', '');
    index.set('p', key, token(3_600_000));
    now = T0 + 3_600_000 - RENEWAL_WINDOW_MS - 1;
    expect(index.get('p', key)?.accessToken).toBe('at');
    now += 1;
    expect(index.get('p', key)).toBeUndefined();
    expect(index.size).toBe(0);
  });

  it('hands every caller a token no caller can change for the others', () => {
    const index = new HotTokenIndex(10, clock);
    const key = HotTokenIndex.subKey(['user.read'], '', '', '');
    index.set('p', key, token(3_600_000));
    const first = index.get('p', key)!;
    expect(() => {
      (first as { accessToken: string }).accessToken = 'tampered';
    }).toThrow(TypeError);
    expect(index.get('p', key)?.accessToken).toBe('at');
  });

  it('honours an earlier refreshOn from the identity provider', () => {
    const index = new HotTokenIndex(10, clock);
    index.set('p', 'k', token(3_600_000), new Date(T0 + 60_000));
    now = T0 + 60_000;
    expect(index.get('p', 'k')).toBeUndefined();
  });

  it('does not keep a token already inside the renewal window', () => {
    const index = new HotTokenIndex(10, clock);
    index.set('p', 'k', token(RENEWAL_WINDOW_MS));
    expect(index.get('p', 'k')).toBeUndefined();
    expect(index.size).toBe(0);
  });

  it('ignores scope order and case, but not claims, tenant or user flow', () => {
    const a = HotTokenIndex.subKey(['User.Read', 'Mail.Read'], '', '', '');
    expect(HotTokenIndex.subKey(['mail.read', 'user.read'], '', '', '')).toBe(a);
    expect(HotTokenIndex.subKey(['mail.read', 'user.read'], '{"x":1}', '', '')).not.toBe(a);
    expect(HotTokenIndex.subKey(['mail.read', 'user.read'], '', 'contoso', '')).not.toBe(a);
    expect(HotTokenIndex.subKey(['mail.read', 'user.read'], '', '', 'b2c_1_susi')).not.toBe(a);
  });

  it('keeps at most maxEntries tokens, dropping the least recently used partition', () => {
    const index = new HotTokenIndex(3, clock);
    index.set('a', 'k', token(3_600_000, 'a'));
    index.set('b', 'k', token(3_600_000, 'b'));
    index.set('c', 'k', token(3_600_000, 'c'));
    index.get('a', 'k'); // a is now the most recently used
    index.set('d', 'k', token(3_600_000, 'd'));
    expect(index.size).toBe(3);
    expect(index.get('b', 'k')).toBeUndefined();
    expect(index.get('a', 'k')?.accessToken).toBe('a');
    expect(index.get('d', 'k')?.accessToken).toBe('d');
  });

  it('trims a single partition holding more than maxEntries tokens', () => {
    const index = new HotTokenIndex(2, clock);
    index.set('a', 'k1', token(3_600_000));
    index.set('a', 'k2', token(3_600_000));
    index.set('a', 'k3', token(3_600_000));
    expect(index.size).toBe(2);
    expect(index.get('a', 'k1')).toBeUndefined();
    expect(index.get('a', 'k3')).toBeDefined();
  });

  it('forgets every token of an evicted partition and only those', () => {
    const index = new HotTokenIndex(10, clock);
    index.set('a', 'k1', token(3_600_000));
    index.set('a', 'k2', token(3_600_000));
    index.set('b', 'k1', token(3_600_000));
    index.evictPartition('a');
    expect(index.get('a', 'k1')).toBeUndefined();
    expect(index.get('a', 'k2')).toBeUndefined();
    expect(index.get('b', 'k1')).toBeDefined();
    expect(index.size).toBe(1);
  });

  it("forgets one refused token and leaves the partition's others", () => {
    const index = new HotTokenIndex(10, clock);
    const mail = HotTokenIndex.subKey(['mail.read'], '', '', '');
    const user = HotTokenIndex.subKey(['user.read'], '', '', '');
    index.set('p', mail, token(3_600_000, 'mail'));
    index.set('p', user, token(3_600_000, 'user'));
    index.delete('p', mail);
    index.delete('p', 'unknown');
    index.delete('other', user);
    expect(index.get('p', mail)).toBeUndefined();
    expect(index.get('p', user)?.accessToken).toBe('user');
    expect(index.size).toBe(1);
  });

  it('replaces an entry in place without counting it twice', () => {
    const index = new HotTokenIndex(10, clock);
    index.set('a', 'k', token(3_600_000, 'old'));
    index.set('a', 'k', token(3_600_000, 'new'));
    expect(index.size).toBe(1);
    expect(index.get('a', 'k')?.accessToken).toBe('new');
  });

  it('serves the token it returned from set, with no bookkeeping visible to callers', () => {
    const index = new HotTokenIndex(10, clock);
    const given = { ...token(3_600_000), tenantId: 't' };
    const cached = index.set('p', 'k', given);
    expect(index.get('p', 'k')).toBe(cached);
    expect(JSON.parse(JSON.stringify(cached))).toEqual(JSON.parse(JSON.stringify(given)));
    expect(Object.keys(cached).sort()).toEqual([
      'accessToken',
      'expiresOn',
      'scopes',
      'tenantId',
      'tokenType',
    ]);
  });

  it('keeps several tokens per partition: expiring, replacing or evicting one leaves the others', () => {
    const index = new HotTokenIndex(10, clock);
    index.set('p', 'k1', token(1_000_000, 'one'));
    index.set('p', 'k2', token(3_600_000, 'two'));
    index.set('p', 'k3', token(3_600_000, 'three'));
    index.set('p', 'k2', token(3_600_000, 'two-renewed'));
    expect(index.size).toBe(3);
    now = T0 + 1_000_000 - RENEWAL_WINDOW_MS; // k1 (the partition's first token) enters its window
    expect(index.get('p', 'k1')).toBeUndefined();
    expect(index.size).toBe(2);
    expect(index.get('p', 'k2')?.accessToken).toBe('two-renewed');
    expect(index.get('p', 'k3')?.accessToken).toBe('three');
    index.set('p', 'k1', token(3_600_000, 'one-renewed'));
    expect(index.get('p', 'k1')?.accessToken).toBe('one-renewed');
    index.evictPartition('p');
    expect(index.size).toBe(0);
    expect(index.get('p', 'k2')).toBeUndefined();
  });

  it('replacing a token with one already inside the window forgets the old one', () => {
    const index = new HotTokenIndex(10, clock);
    index.set('p', 'k', token(3_600_000, 'old'));
    index.set('p', 'k', token(RENEWAL_WINDOW_MS, 'new'));
    expect(index.get('p', 'k')).toBeUndefined();
    expect(index.size).toBe(0);
  });

  it('gives a second chance to a partition read through any of its tokens', () => {
    const index = new HotTokenIndex(3, clock);
    index.set('a', 'k1', token(3_600_000, 'a1'));
    index.set('a', 'k2', token(3_600_000, 'a2'));
    index.set('b', 'k', token(3_600_000, 'b'));
    index.get('a', 'k2');
    index.set('c', 'k', token(3_600_000, 'c'));
    expect(index.get('b', 'k')).toBeUndefined();
    expect(index.get('a', 'k1')?.accessToken).toBe('a1');
    expect(index.get('c', 'k')?.accessToken).toBe('c');
  });

  it('stops serving at most a second early when the expiry is not a whole second, never late', () => {
    const index = new HotTokenIndex(10, clock);
    index.set('p', 'k', token(3_600_000 + 400));
    now = T0 + 3_600_000 - RENEWAL_WINDOW_MS - 1;
    expect(index.get('p', 'k')).toBeDefined();
    now += 1;
    expect(index.get('p', 'k')).toBeUndefined();
  });

  it('keeps the lower-cased key of a scope list whatever the instance of its strings', () => {
    const a = HotTokenIndex.subKey(['API://Todo/Access_As_User'], '', '', '');
    expect(a).toBe('api://todo/access_as_user');
    expect(HotTokenIndex.subKey([['API://Todo/', 'Access_As_User'].join('')], '', '', '')).toBe(a);
  });
});
