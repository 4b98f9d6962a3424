import { base, normalize, problems } from '../../test/support/normalize-options';

describe('IdentityWeb:TokenCache', () => {
  it('keeps tokens in memory by default, with a hot index of 100 000 entries', () => {
    expect(normalize(base()).options.tokenCache).toEqual({
      hotIndexSize: 100_000,
      keyPrefix: 'iw',
      l1Enabled: true,
      l1LifetimeSeconds: 30,
      l1MaxEntries: 10_000,
      storeTimeoutMs: 250,
      userPartitionLifetimeSeconds: 14 * 24 * 3600,
      writeQueueSize: 10_000,
    });
  });

  it('reads Redis and the encryption keys from configuration alone, environment variables included', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    const { options } = normalize(
      { ...base(), IdentityWeb: { TokenCache: { Redis: { ConnectionString: 'redis://cache:6379' } } } },
      {
        IdentityWeb__TokenCache__EncryptionKeys__0__Id: 'k2',
        IdentityWeb__TokenCache__EncryptionKeys__0__Key: key,
      },
    );
    expect(options.tokenCache.redis).toEqual({ connectionString: 'redis://cache:6379' });
    expect(options.tokenCache.encryptionKeys).toEqual([{ id: 'k2', key }]);
  });

  it('reads PostgreSQL with its default table', () => {
    const { options } = normalize({
      ...base(),
      IdentityWeb: { TokenCache: { Postgres: { ConnectionString: 'postgresql://app@db/app' } } },
    });
    expect(options.tokenCache.postgres).toEqual({
      connectionString: 'postgresql://app@db/app',
      table: 'identity_web_token_cache',
    });
  });

  it('refuses two stores at once, naming both keys', () => {
    expect(
      problems({
        ...base(),
        IdentityWeb: {
          TokenCache: {
            Redis: { ConnectionString: 'redis://cache:6379' },
            Postgres: { ConnectionString: 'postgresql://app@db/app' },
          },
        },
      }),
    ).toEqual([expect.stringMatching(/^IdentityWeb:TokenCache:Postgres and Redis are both set/)]);
  });

  it('refuses a key that is not 32 bytes and a repeated id, without echoing the key', () => {
    const good = Buffer.alloc(32, 1).toString('base64');
    const reported = problems({
      ...base(),
      IdentityWeb: {
        TokenCache: {
          EncryptionKeys: [
            { Id: 'a', Key: 'c2hvcnQ=' },
            { Id: 'b', Key: good },
            { Id: 'b', Key: good },
          ],
        },
      },
    });
    expect(reported).toEqual([
      expect.stringMatching(/^IdentityWeb:TokenCache:EncryptionKeys:0:Key must be 32 bytes/),
      expect.stringMatching(/^IdentityWeb:TokenCache:EncryptionKeys:2:Id repeats the id "b"/),
    ]);
    expect(reported.join()).not.toContain(good);
  });

  it('reads HotIndexSize from an environment variable', () => {
    const { options } = normalize(base(), { IdentityWeb__TokenCache__HotIndexSize: '500' });
    expect(options.tokenCache.hotIndexSize).toBe(500);
  });

  it.each([-1, 1.5, 'many'])('refuses a HotIndexSize of %p', (size) => {
    expect(problems({ ...base(), IdentityWeb: { TokenCache: { HotIndexSize: size } } })).toEqual([
      expect.stringMatching(/^IdentityWeb:TokenCache:HotIndexSize must be an integer of at least 0/),
    ]);
  });

  it('keeps a store given in code when an environment variable sets another key of the section', () => {
    const store = { get: async () => undefined, set: async () => {}, remove: async () => {} };
    const { options } = normalize(
      { ...base(), tokenCache: { store } },
      { IdentityWeb__TokenCache__HotIndexSize: '10' },
    );
    expect(options.tokenCache.store).toBe(store);
    expect(options.tokenCache.hotIndexSize).toBe(10);
    expect(Object.isFrozen(store)).toBe(false);
  });

  it('refuses a PostgreSQL table name that is not a plain identifier', () => {
    expect(
      problems({
        ...base(),
        IdentityWeb: {
          TokenCache: { Postgres: { ConnectionString: 'postgresql://app@db/app', Table: 'x; DROP TABLE y' } },
        },
      }),
    ).toEqual([expect.stringMatching(/^IdentityWeb:TokenCache:Postgres:Table must be a plain table name/)]);
  });
});
