import { lostChanges, mergeChanges } from './merge-partitions';

const partition = (accessTokens: Record<string, string>, refreshToken: string) =>
  JSON.stringify({
    Account: { acc: { home_account_id: 'u.t' } },
    IdToken: {},
    AccessToken: Object.fromEntries(Object.entries(accessTokens).map(([k, secret]) => [k, { secret }])),
    RefreshToken: { rt: { secret: refreshToken } },
    AppMetadata: {},
  });

describe('mergeChanges', () => {
  it('keeps a token another operation renewed meanwhile instead of the stale copy this one loaded', () => {
    const loaded = partition({ todo: 'at-todo-0' }, 'rt-0');
    const storedNow = partition({ todo: 'at-todo-1' }, 'rt-1'); // a concurrent refresh of todo
    const mine = partition({ todo: 'at-todo-0', graph: 'at-graph-1' }, 'rt-2'); // this one: graph
    const merged = JSON.parse(mergeChanges(storedNow, loaded, mine));
    expect(merged.AccessToken).toEqual({ todo: { secret: 'at-todo-1' }, graph: { secret: 'at-graph-1' } });
    expect(merged.RefreshToken.rt.secret).toBe('rt-2');
  });

  it('removes what this operation removed, unless someone changed it since', () => {
    const loaded = partition({ old: 'at-old', other: 'at-other' }, 'rt-0');
    const storedNow = partition({ old: 'at-old', other: 'at-other-renewed' }, 'rt-0');
    const mine = partition({}, 'rt-0');
    const merged = JSON.parse(mergeChanges(storedNow, loaded, mine));
    expect(merged.AccessToken).toEqual({ other: { secret: 'at-other-renewed' } });
  });

  it('writes its own partition when nothing changed underneath or nothing is stored', () => {
    const loaded = partition({ todo: 'a' }, 'r');
    const mine = partition({ todo: 'b' }, 'r2');
    expect(mergeChanges(loaded, loaded, mine)).toBe(mine);
    expect(mergeChanges(undefined, loaded, mine)).toBe(mine);
  });
});

describe('lostChanges', () => {
  const base = partition({ x: 'at-x1' }, 'rt-1');
  const mine = partition({ x: 'at-x1', y: 'at-y2' }, 'rt-2');

  it('sees our token and refresh token overwritten by a writer that loaded the same version', () => {
    const theirs = partition({ x: 'at-x2' }, 'rt-1');
    expect(lostChanges(theirs, base, mine)).toBe(true);
  });

  it('sees nothing lost once our changes are in, or when someone renewed them since', () => {
    expect(lostChanges(mergeChanges(partition({ x: 'at-x2' }, 'rt-1'), base, mine), base, mine)).toBe(false);
    expect(lostChanges(partition({ x: 'at-x1', y: 'at-y3' }, 'rt-3'), base, mine)).toBe(false);
  });

  it('sees a removed partition as lost', () => {
    expect(lostChanges(undefined, base, mine)).toBe(true);
  });
});
