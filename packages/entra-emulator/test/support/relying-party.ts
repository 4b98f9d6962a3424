import { CryptoProvider } from '@azure/msal-node';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { RunningEmulator } from '../../src/index';
import { webAppClient } from './msal-clients';

/** A running {@link startRelyingParty} app. */
export interface RelyingParty {
  /** `http://localhost:<port>`: the emulator's web app registers localhost redirect URIs. */
  url: string;
  close(): Promise<void>;
}

interface Session {
  pending?: { state: string; nonce: string; verifier: string; returnUrl: string; redirectUri: string };
  username?: string;
}

const crypto = new CryptoProvider();

/**
 * The smallest web app that signs users in with the emulator's default web app, written on
 * node:http and MSAL (no NestJS), so the test kit is tested against an app the emulator package
 * owns: `/account/signin?returnUrl=` starts a PKCE sign-in, `/signin-oidc` redeems the code
 * (query or form_post; every token checked against the JWKS) and sets the session, `/me` answers
 * the signed-in user or 401, `/protected` sends anonymous visitors to sign in.
 *
 * @example
 * ```ts
 * const app = await startRelyingParty(emu(), { responseMode: 'form_post' });
 * ```
 */
export async function startRelyingParty(
  emu: RunningEmulator,
  options: { responseMode?: 'query' | 'form_post'; scopes?: string[] } = {},
): Promise<RelyingParty> {
  const cca = webAppClient(emu);
  const scopes = options.scopes ?? ['User.Read'];
  const sessions = new Map<string, Session>();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    const sid = /(?:^|;\s*)rp\.sid=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
    const session = (sid && sessions.get(sid)) || undefined;
    if (url.pathname === '/account/signin') {
      const pkce = await crypto.generatePkceCodes();
      const pending = {
        state: randomUUID(),
        nonce: randomUUID(),
        verifier: pkce.verifier,
        returnUrl: url.searchParams.get('returnUrl') ?? '/',
        redirectUri: `${url.origin}/signin-oidc`,
      };
      const id = randomUUID();
      sessions.set(id, { pending });
      const authorize = await cca.getAuthCodeUrl({
        scopes,
        redirectUri: pending.redirectUri,
        state: pending.state,
        nonce: pending.nonce,
        codeChallenge: pkce.challenge,
        codeChallengeMethod: 'S256',
        responseMode: (options.responseMode ?? 'query') as never,
      });
      // form_post from the https emulator to this http app is a cross-site POST: Lax would not be sent.
      const sameSite = options.responseMode === 'form_post' ? 'None; Secure' : 'Lax';
      res.setHeader('set-cookie', `rp.sid=${id}; Path=/; HttpOnly; SameSite=${sameSite}`);
      return redirect(res, authorize);
    }
    if (url.pathname === '/signin-oidc') {
      const params = req.method === 'POST' ? new URLSearchParams(await bodyOf(req)) : url.searchParams;
      const pending = session?.pending;
      if (!session || !pending || params.get('state') !== pending.state)
        return page(res, 400, 'unknown state');
      if (params.get('error')) return page(res, 400, `Sign-in failed: ${params.get('error')}`);
      const result = await cca.acquireTokenByCode({
        code: params.get('code') ?? '',
        scopes,
        redirectUri: pending.redirectUri,
        codeVerifier: pending.verifier,
        nonce: pending.nonce,
      });
      sessions.set(sid!, { username: result.account?.username });
      return redirect(res, pending.returnUrl);
    }
    if (url.pathname === '/me' && session?.username) return json(res, 200, { username: session.username });
    if (url.pathname === '/me') return json(res, 401, { error: 'no_user' });
    if (url.pathname === '/protected' && session?.username)
      return page(res, 200, `Hello ${session.username}`);
    if (url.pathname === '/protected') return redirect(res, '/account/signin?returnUrl=%2Fprotected');
    return page(res, 404, 'not found');
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: Error) => page(res, 500, error.message));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://localhost:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function redirect(res: ServerResponse, location: string): void {
  res.writeHead(302, { location }).end();
}

function page(res: ServerResponse, status: number, text: string): void {
  const html = `<!doctype html><title>RP</title><p id="message">${text.replace(/[<>&]/g, '')}</p>`;
  res.writeHead(status, { 'content-type': 'text/html' }).end(html);
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

async function bodyOf(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
}

/**
 * Hooks for the enclosing `describe`: a query-mode and a form_post {@link startRelyingParty}
 * app, started once its emulator runs (declare `useEmulator` first) and closed after the block.
 *
 * @example
 * ```ts
 * const emu = useEmulator();
 * const { query: app } = useRelyingParties(emu);
 * it('…', () => signInOverHttp(app().url, alice));
 * ```
 */
export function useRelyingParties(emu: () => RunningEmulator): {
  query(): RelyingParty;
  formPost(): RelyingParty;
} {
  let query: RelyingParty | undefined;
  let formPost: RelyingParty | undefined;
  beforeAll(async () => {
    query = await startRelyingParty(emu());
    formPost = await startRelyingParty(emu(), { responseMode: 'form_post' });
  });
  afterAll(async () => {
    await query?.close();
    await formPost?.close();
  });
  return { query: () => query!, formPost: () => formPost! };
}
