import { mergePartitions, withoutIdTokens } from './merge-partitions';
import { appPartitionKey, oboPartitionKey, userPartitionKey } from './partition-keys';

describe('partition keys', () => {
  it('lower-cases the home account id, as MSAL keys are', () => {
    expect(userPartitionKey('ABC.DEF')).toBe('abc.def');
  });

  it('separates app partitions per tenant', () => {
    expect(appPartitionKey('CID', 'Contoso')).toBe('app:cid:contoso');
    expect(appPartitionKey('cid', 'a')).not.toBe(appPartitionKey('cid', 'b'));
  });

  it('hashes OBO assertions: distinct per assertion, never containing the token', () => {
    const a = oboPartitionKey('eyJ.token-a.sig');
    const b = oboPartitionKey('eyJ.token-b.sig');
    expect(a).not.toBe(b);
    expect(a).toMatch(/^obo:[A-Za-z0-9_-]{43}$/);
    expect(a).not.toContain('token-a');
    expect(oboPartitionKey('eyJ.token-a.sig')).toBe(a);
  });
});

describe('mergePartitions', () => {
  it('keeps stored entries and lets fresh ones win', () => {
    const stored = JSON.stringify({
      AccessToken: { a: { secret: 'old-a' }, b: { secret: 'b' } },
      Account: { x: {} },
    });
    const fresh = JSON.stringify({
      AccessToken: { a: { secret: 'new-a' }, c: { secret: 'c' } },
      RefreshToken: { r: {} },
    });
    const merged = JSON.parse(mergePartitions(stored, fresh));
    expect(merged.AccessToken).toEqual({ a: { secret: 'new-a' }, b: { secret: 'b' }, c: { secret: 'c' } });
    expect(Object.keys(merged.Account)).toEqual(['x']);
    expect(Object.keys(merged.RefreshToken)).toEqual(['r']);
  });

  it('returns the fresh cache when nothing (or garbage) was stored', () => {
    expect(mergePartitions(undefined, '{"Account":{}}')).toBe('{"Account":{}}');
    expect(mergePartitions('not json', '{"Account":{}}')).toBe('{"Account":{}}');
  });
});

describe('withoutIdTokens', () => {
  it('drops ID tokens and keeps everything else', () => {
    const json = JSON.stringify({
      Account: { a: {} },
      IdToken: { i: { secret: 'id' } },
      RefreshToken: { r: {} },
    });
    expect(JSON.parse(withoutIdTokens(json))).toEqual({
      Account: { a: {} },
      IdToken: {},
      RefreshToken: { r: {} },
    });
    expect(withoutIdTokens('{"IdToken":{}}')).toBe('{"IdToken":{}}');
  });
});
