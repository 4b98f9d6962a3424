import { randomBytes } from 'node:crypto';
import session from 'express-session';
import { TokenCacheCodec } from '../token-cache/token-cache.codec';
import { EncryptedSessionStore } from './encrypted-session.store';

const codec = (id = 'k1', key = randomBytes(32).toString('base64')) => new TokenCacheCodec([{ id, key }]);
const cookie = { originalMaxAge: 60_000, expires: new Date(Date.now() + 60_000), httpOnly: true, path: '/' };
const data = { cookie, identityWeb: { user: { name: 'Alice Smith', username: 'alice@contoso.example' } } };

function promised<T>(run: (cb: (err?: unknown, value?: T) => void) => void): Promise<T | undefined> {
  return new Promise((resolve, reject) => run((err, value) => (err ? reject(err) : resolve(value))));
}

describe('EncryptedSessionStore', () => {
  it('keeps only the cookie and ciphertext in the inner store, and reads the session back', async () => {
    const inner = new session.MemoryStore();
    const store = new EncryptedSessionStore(inner, codec());
    await promised((cb) => store.set('sid-1', data as never, cb));
    const raw = await promised<Record<string, unknown>>((cb) => inner.all!(cb as never));
    expect(JSON.stringify(raw)).not.toMatch(/Alice|alice@/);
    expect(await promised((cb) => store.get('sid-1', cb))).toMatchObject({ identityWeb: data.identityWeb });
  });

  it('reads a value moved to another session id, or sealed under a key not in the ring, as no session', async () => {
    const inner = new session.MemoryStore();
    const key = randomBytes(32).toString('base64');
    const store = new EncryptedSessionStore(inner, codec('k1', key));
    await promised((cb) => store.set('sid-1', data as never, cb));
    const sealed = await promised<session.SessionData>((cb) => inner.get('sid-1', cb as never));
    await promised((cb) => inner.set('sid-2', sealed!, cb));
    expect(await promised((cb) => store.get('sid-2', cb))).toBeNull();
    const otherRing = new EncryptedSessionStore(inner, codec('k2'));
    expect(await promised((cb) => otherRing.get('sid-1', cb))).toBeNull();
    const rotated = new EncryptedSessionStore(
      inner,
      new TokenCacheCodec([
        { id: 'k2', key: randomBytes(32).toString('base64') },
        { id: 'k1', key },
      ]),
    );
    expect(await promised((cb) => rotated.get('sid-1', cb))).toMatchObject({ identityWeb: data.identityWeb });
  });

  it('refuses a plain session planted in the inner store', async () => {
    const inner = new session.MemoryStore();
    const store = new EncryptedSessionStore(inner, codec());
    await promised((cb) => inner.set('sid-1', data as never, cb));
    expect(await promised((cb) => store.get('sid-1', cb))).toBeNull();
  });

  it('touches an unchanged session with the ciphertext it read, and seals a changed one again', async () => {
    const inner = new session.MemoryStore();
    const touched: string[] = [];
    const touch = inner.touch.bind(inner);
    inner.touch = (sid, sealed, cb) => {
      touched.push((sealed as unknown as { iw: string }).iw);
      touch(sid, sealed, cb);
    };
    const ring = [{ id: 'k1', key: randomBytes(32).toString('base64') }];
    const store = new EncryptedSessionStore(inner, new TokenCacheCodec(ring));
    await promised((cb) => store.set('sid-1', data as never, cb));
    const stored = (
      (await promised<session.SessionData>((cb) => inner.get('sid-1', cb as never))) as never as {
        iw: string;
      }
    ).iw;
    const read = await promised<session.SessionData>((cb) => store.get('sid-1', cb as never));
    await promised((cb) => store.touch('sid-1', read!, cb));
    expect(touched).toEqual([stored]);
    await promised((cb) => store.get('sid-1', cb));
    const changed = { ...read!, identityWeb: { user: { name: 'Bob' } } } as session.SessionData;
    await promised((cb) => store.touch('sid-1', changed, cb));
    expect(touched[1]).not.toBe(stored);
    expect(touched[1]).toEqual(expect.any(String));
    // After rotation (a new key first), an unchanged session read under the old key is sealed anew.
    const rotated = new EncryptedSessionStore(
      inner,
      new TokenCacheCodec([{ id: 'k9', key: randomBytes(32).toString('base64') }, ...ring]),
    );
    const old = await promised<session.SessionData>((cb) => rotated.get('sid-1', cb as never));
    await promised((cb) => rotated.touch('sid-1', old!, cb));
    expect(touched[2]).toMatch(/^e1\.k9\./);
  });
});
