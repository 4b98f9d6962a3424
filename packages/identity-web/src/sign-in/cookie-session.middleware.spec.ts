import { Logger } from '@nestjs/common';
import express, { type Request } from 'express';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { ResolvedSessionOptions } from '../options/session.section';
import { CookieSessions } from './cookie-session.middleware';
import { MAX_SESSION_COOKIE_BYTES } from './session-cookie.fit';
import { SessionCookieSeal } from './session-cookie.seal';
import type { IdentityWebSessionState, PendingSignIn } from './sign-in-session';

const SECRET = 'a-session-secret-of-at-least-32-characters';
const OLD_SECRET = 'the-previous-session-secret-32-characters!';

function settings(over: Partial<ResolvedSessionOptions> = {}): ResolvedSessionOptions {
  return {
    mode: 'cookie',
    secret: SECRET,
    cookieName: 'iw.sid',
    secure: 'auto',
    maxAgeMs: 8 * 60 * 60 * 1000,
    sameSite: 'lax',
    ...over,
  } as ResolvedSessionOptions;
}

type Session = Record<string, unknown> & {
  identityWeb?: IdentityWebSessionState;
  regenerate(done: (err?: unknown) => void): void;
  destroy(done: (err?: unknown) => void): void;
  save(done: (err?: unknown) => void): void;
};
const sessionOf = (req: Request) => (req as unknown as { session: Session }).session;

/** An Express app with cookie sessions and a few routes that read or change the session. */
async function start(options: ResolvedSessionOptions): Promise<{ url: string; server: Server }> {
  const sessions = new CookieSessions(options);
  const app = express();
  app.use((req, res, next) => sessions.handle(req, res, next));
  app.get('/read', (req, res) => {
    res.json({ values: { ...sessionOf(req) }, id: (req as unknown as { sessionID: string }).sessionID });
  });
  app.get('/write', (req, res) => {
    sessionOf(req).note = String(req.query.v);
    res.send('ok');
  });
  app.get('/regenerate', (req, res) => {
    sessionOf(req).regenerate(() => {
      sessionOf(req).note = 'after';
      res.send('ok');
    });
  });
  app.get('/destroy', (req, res) => sessionOf(req).destroy(() => res.redirect('/')));
  app.get('/sign-out', (req, res) =>
    sessionOf(req).destroy(() => res.clearCookie('iw.sid', { path: '/' }).redirect('/')),
  );
  app.get('/save-without-callback', (req, res) => {
    sessionOf(req).note = 'saved';
    (sessionOf(req).save as () => void)();
    res.send('ok');
  });
  app.get('/null', (req, res) => {
    (req as unknown as { session: unknown }).session = null;
    res.send('ok');
  });
  app.get('/big', (req, res) => {
    sessionOf(req).blob = 'x'.repeat(Number(req.query.n));
    res.redirect('/next');
  });
  app.get('/pending', (req, res) => {
    const state = (sessionOf(req).identityWeb ??= {});
    state.pending = Array.from({ length: Number(req.query.n) }, (_, i) => pending(i));
    state.completed = Array.from({ length: 5 }, (_, i) => ({
      stateHash: 'h'.repeat(43),
      returnUrl: `/done/${i}`,
      challenge: '',
      completedAt: i,
    }));
    res.send('ok');
  });
  app.get('/send-then-throw', (req) => {
    sessionOf(req).note = 'sent';
    (req.res as express.Response).send('first');
    throw new Error('after the response');
  });
  app.get('/bad-status', (req, res, next) => {
    sessionOf(req).note = 'x';
    res.statusCode = 1000;
    try {
      res.end('never sent');
    } catch (err) {
      next(err);
    }
  });
  app.get('/planted', (req, res) => {
    (sessionOf(req).identityWeb ??= {}).pending = [{ ...pending(0), returnUrl: `/${'x'.repeat(4000)}` }];
    res.send('ok');
  });
  app.get('/stream', (req, res) => {
    res.write('first part');
    sessionOf(req).note = 'too late';
    res.end();
  });
  app.use((err: Error, _req: Request, res: express.Response, next: express.NextFunction) => {
    if (res.headersSent) return next(err);
    res.status(500).type('html').send(`<p>handled: ${err.message}</p>`);
  });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, () => resolve(s));
  });
  return { url: `http://localhost:${(server.address() as AddressInfo).port}`, server };
}

function pending(i: number): PendingSignIn {
  const random = (n: number) => `${i}`.padEnd(n, 'r');
  return {
    state: random(43),
    nonce: random(43),
    codeVerifier: random(43),
    returnUrl: `/profile?tab=${i}`,
    redirectUri: 'https://app.contoso.com/signin-oidc',
    scopes: ['openid', 'profile', 'offline_access', 'https://graph.microsoft.com/Mail.Read'],
    createdAt: Date.now(),
  };
}

async function get(
  url: string,
  cookie?: string,
): Promise<{ status: number; body: string; cookie?: string; setCookie: string[] }> {
  const res = await fetch(url, { headers: cookie ? { cookie } : {}, redirect: 'manual' });
  const setCookie = res.headers.getSetCookie();
  const value = setCookie.find((c) => c.startsWith('iw.sid='))?.split(';')[0];
  return { status: res.status, body: await res.text(), cookie: value, setCookie };
}

describe('CookieSessions', () => {
  let app: { url: string; server: Server };
  beforeAll(async () => (app = await start(settings())));
  afterAll(() => app.server.close());

  it('sets no cookie while the session is empty, then seals what a route keeps and reads it back', async () => {
    expect((await get(`${app.url}/read`)).setCookie).toEqual([]);
    const written = await get(`${app.url}/write?v=kept-note`);
    expect(written.setCookie[0]).toMatch(
      /^iw\.sid=[\w-]+\.\.[\w-]+\.[\w-]+\.[\w-]+; Max-Age=28800; Path=\/; Expires=.+; HttpOnly; SameSite=Lax$/,
    );
    expect(written.cookie).not.toContain('kept-note');
    const read = await get(`${app.url}/read`, written.cookie);
    expect(JSON.parse(read.body).values).toEqual({ note: 'kept-note' });
    expect(read.setCookie).toEqual([]); // unchanged: not written again
  });

  it('gives a new session id on regenerate, and clears the cookie on destroy', async () => {
    const first = await get(`${app.url}/write?v=1`);
    const id = JSON.parse((await get(`${app.url}/read`, first.cookie)).body).id as string;
    const regenerated = await get(`${app.url}/regenerate`, first.cookie);
    const after = JSON.parse((await get(`${app.url}/read`, regenerated.cookie)).body);
    expect(after.values).toEqual({ note: 'after' });
    expect(after.id).not.toBe(id);
    const destroyed = await get(`${app.url}/destroy`, regenerated.cookie);
    expect(destroyed.setCookie).toEqual([
      expect.stringMatching(/^iw\.sid=; Path=\/; Expires=Thu, 01 Jan 1970/),
    ]);
  });

  it('clears the cookie once when a handler clears it too, and when req.session is set to null', async () => {
    const { cookie } = await get(`${app.url}/write?v=1`);
    expect((await get(`${app.url}/sign-out`, cookie)).setCookie).toEqual([
      expect.stringMatching(/^iw\.sid=; /),
    ]);
    expect((await get(`${app.url}/null`, cookie)).setCookie).toEqual([expect.stringMatching(/^iw\.sid=; /)]);
  });

  it('saves when save() is called without a callback, as express-session allows', async () => {
    const saved = await get(`${app.url}/save-without-callback`);
    expect(saved.setCookie).toHaveLength(1);
    expect(JSON.parse((await get(`${app.url}/read`, saved.cookie)).body).values).toEqual({ note: 'saved' });
  });

  it('treats a tampered, foreign or expired cookie as no session, and clears it', async () => {
    const { cookie } = await get(`${app.url}/write?v=1`);
    const value = cookie!.slice('iw.sid='.length);
    const tampered = value.slice(0, -3) + (value.endsWith('AAA') ? 'BBB' : 'AAA');
    const seal = new SessionCookieSeal(SECRET, 'iw.sid');
    const now = Math.floor(Date.now() / 1000);
    const expired = await seal.seal({
      sid: 's',
      data: { note: 'old' },
      maxAgeMs: 60_000,
      issuedAt: now - 61,
    });
    const foreign = await new SessionCookieSeal('another-secret-of-at-least-32-characters', 'iw.sid').seal({
      sid: 's',
      data: { note: 'x' },
      maxAgeMs: 60_000,
      issuedAt: now,
    });
    for (const bad of [tampered, expired, foreign, 's%3Aan-express-session-id.signature']) {
      const read = await get(`${app.url}/read`, `iw.sid=${bad}`);
      expect(JSON.parse(read.body).values).toEqual({});
      expect(read.setCookie[0]).toMatch(/^iw\.sid=; /);
    }
  });

  it('opens cookies sealed with a previous secret while sealing new ones with the first', async () => {
    const before = await start(settings({ secret: OLD_SECRET }));
    const rotated = await start(settings({ secret: [SECRET, OLD_SECRET] }));
    try {
      const { cookie } = await get(`${before.url}/write?v=from-old`);
      expect(JSON.parse((await get(`${rotated.url}/read`, cookie)).body).values).toEqual({
        note: 'from-old',
      });
      const rewritten = await get(`${rotated.url}/write?v=new`, cookie);
      expect(JSON.parse((await get(`${app.url}/read`, rewritten.cookie)).body).values).toEqual({
        note: 'new',
      });
    } finally {
      before.server.close();
      rotated.server.close();
    }
  });

  it('does not write an unchanged cookie again, even late in its lifetime: a copy cannot be kept alive', async () => {
    const seal = new SessionCookieSeal(SECRET, 'iw.sid');
    const now = Math.floor(Date.now() / 1000);
    const late = { sid: 's', data: { note: 'n' }, maxAgeMs: 8 * 3600_000, issuedAt: now - 7 * 3600 };
    const read = await get(`${app.url}/read`, `iw.sid=${await seal.seal(late)}`);
    expect(JSON.parse(read.body).values).toEqual({ note: 'n' });
    expect(read.setCookie).toEqual([]);
  });

  it('drops completed round trips but the newest, then other tabs’ oldest pending sign-ins, to fit the cookie', async () => {
    const { cookie } = await get(`${app.url}/pending?n=12`);
    expect(cookie!.length).toBeLessThanOrEqual(MAX_SESSION_COOKIE_BYTES);
    const state = JSON.parse((await get(`${app.url}/read`, cookie)).body).values
      .identityWeb as IdentityWebSessionState;
    expect(state.completed!.map((c) => c.returnUrl)).toEqual(['/done/4']); // the newest stays
    expect(state.pending!.length).toBeGreaterThanOrEqual(4);
    expect(state.pending!.length).toBeLessThan(12);
    expect(state.pending!.at(-1)!.returnUrl).toBe('/profile?tab=11'); // the newest tab is kept
  });

  it('answers 500 and logs the cause when the session cannot fit, never sending a cookie the browser drops', async () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    try {
      const fits = await get(`${app.url}/big?n=2000`);
      expect(fits.status).toBe(302);
      const tooBig = await get(`${app.url}/big?n=3500`);
      expect({ status: tooBig.status, setCookie: tooBig.setCookie }).toEqual({ status: 500, setCookie: [] });
      expect(tooBig.body).toBe('The session could not be saved; the server log says why.');
      expect(logged.mock.calls.map((c) => String(c[0]))).toEqual([
        expect.stringMatching(
          /session is too large for its cookie \(\d+ bytes sealed, at most 4000\).*blob.*Mode 'store'/,
        ),
      ]);
    } finally {
      logged.mockRestore();
    }
  });

  it('sends the first response with its cookie when a handler throws after res.send, and survives an end that throws', async () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    try {
      const sent = await get(`${app.url}/send-then-throw`);
      expect({ status: sent.status, body: sent.body }).toEqual({ status: 200, body: 'first' });
      expect(JSON.parse((await get(`${app.url}/read`, sent.cookie)).body).values).toEqual({ note: 'sent' });
      await expect(fetch(`${app.url}/bad-status`)).rejects.toThrow(); // connection closed, not left hanging
      expect(logged.mock.calls.map((c) => String(c[0]))).toEqual([
        expect.stringMatching(/^The response could not be sent: .*status code/i),
      ]);
      expect((await get(`${app.url}/read`)).status).toBe(200); // the process is still serving
    } finally {
      logged.mockRestore();
    }
  });

  it('drops an oversized pending sign-in (a planted return URL) rather than answering 500', async () => {
    const planted = await get(`${app.url}/planted`);
    expect(planted.status).toBe(200);
    const state = JSON.parse((await get(`${app.url}/read`, planted.cookie)).body).values.identityWeb;
    expect(state).toEqual({ pending: [] });
  });

  it('logs once that a change made after a streamed response started was not saved', async () => {
    const warned = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      const streamed = await get(`${app.url}/stream`);
      expect(streamed.body).toBe('first part');
      expect(streamed.setCookie).toEqual([]);
      await get(`${app.url}/stream`);
      expect(warned).toHaveBeenCalledTimes(1);
      expect(String(warned.mock.calls[0]![0])).toMatch(/after the response started.*not saved/);
    } finally {
      warned.mockRestore();
    }
  });
});
