import type { IdentityWebOptions } from '../options/identity-web.options';
import { PendingFormPostStore, type FormPostRequest } from './pending-form-post.store';

class ClockedStore extends PendingFormPostStore {
  time = 1_000_000;
  protected override now(): number {
    return this.time;
  }
}

const ALICE = 'alice-oid.tid';

function store(consent: Partial<IdentityWebOptions['consent']> = {}): ClockedStore {
  const options = { consent: { resubmitFormPosts: true, resubmitMaxBytes: 100, ...consent } };
  return new ClockedStore(options as IdentityWebOptions);
}

/** A request of alice's session posting `body` with `type`. */
function post(
  session: Record<string, unknown>,
  body: unknown,
  type = 'application/x-www-form-urlencoded',
): FormPostRequest & { session: Record<string, unknown> } {
  return {
    method: 'POST',
    originalUrl: '/emails/send?draft=1',
    headers: { 'content-type': type },
    body,
    session,
    sessionID: 'sid-1',
  };
}

function signedIn(user = ALICE): Record<string, unknown> {
  return { identityWeb: { user: { homeAccountId: user } } };
}

describe('PendingFormPostStore', () => {
  it('keeps the fields of a url-encoded post, as a form would post them again', () => {
    const s = store();
    const session = signedIn();
    const id = s.keep(post(session, { to: 'bob', tag: ['a', 'b'], deep: { x: '1' } }), ALICE, '/compose')!;
    expect(s.find(post(session, {}), id)).toMatchObject({
      action: '/emails/send?draft=1',
      returnUrl: '/compose',
      kind: 'form',
      fields: [
        ['to', 'bob'],
        ['tag', 'a'],
        ['tag', 'b'],
        ['deep[x]', '1'],
      ],
    });
  });

  it('keeps a JSON body as text, and says why it kept nothing from larger or multipart posts', () => {
    const s = store();
    const session = signedIn();
    const kept = (body: unknown, type?: string) =>
      s.find(post(session, {}), s.keep(post(session, body, type), ALICE, '/'));
    expect(kept({ subject: 'hi' }, 'application/json; charset=utf-8')).toMatchObject({
      kind: 'json',
      json: '{"subject":"hi"}',
    });
    expect(kept({ subject: 'x'.repeat(200) })).toMatchObject({ notKept: 'too_large' });
    expect(kept({ subject: 'x'.repeat(200) }, 'application/json')).toMatchObject({ notKept: 'too_large' });
    expect(kept({}, 'multipart/form-data; boundary=x')).toMatchObject({ notKept: 'multipart' });
    expect(kept('raw', 'text/plain')).toMatchObject({ notKept: 'unsupported' });
  });

  it('keeps nothing when ResubmitFormPosts is off', () => {
    expect(
      store({ resubmitFormPosts: false }).keep(post(signedIn(), { a: '1' }), ALICE, '/'),
    ).toBeUndefined();
  });

  it('is claimed once: afterwards it is remembered as sent, and a concurrent claim fails', async () => {
    const s = store();
    const session = signedIn();
    const id = s.keep(post(session, { a: '1' }), ALICE, '/')!;
    const copy = structuredClone(session); // a second tab's request, loaded before the first saved
    await expect(s.claim(post(session, {}), id)).resolves.toMatchObject({ fields: [['a', '1']] });
    await expect(s.claim(post(session, {}), id)).resolves.toBeUndefined();
    await expect(s.claim(post(copy, {}), id)).resolves.toBeUndefined();
    expect(s.find(post(session, {}), id)?.sentAt).toBe(s.time);
  });

  it('is never found for another user, nor after 10 minutes', () => {
    const s = store();
    const session = signedIn();
    const id = s.keep(post(session, { a: '1' }), ALICE, '/')!;
    expect(
      s.find(
        post({ identityWeb: { ...(session.identityWeb as object), user: { homeAccountId: 'bob' } } }, {}),
        id,
      ),
    ).toBeUndefined();
    s.time += 10 * 60 * 1000 + 1;
    expect(s.find(post(session, {}), id)).toBeUndefined();
  });

  it('keeps at most three per session, dropping the oldest', () => {
    const s = store();
    const session = signedIn();
    const ids = [1, 2, 3, 4].map((n) => s.keep(post(session, { n: String(n) }), ALICE, '/')!);
    expect(s.find(post(session, {}), ids[0])).toBeUndefined();
    expect(ids.slice(1).map((id) => s.find(post(session, {}), id)?.fields)).toEqual([
      [['n', '2']],
      [['n', '3']],
      [['n', '4']],
    ]);
  });
});
