import type { RunningEmulator } from 'entra-emulator';
import { appUrlOf } from 'entra-emulator/testing';
import express, { type RequestHandler } from 'express';
import type { AddressInfo } from 'node:net';
import { ChallengeUserException } from 'nest-identity-web';
import { createIdentityWeb } from 'nest-identity-web/express';
import { escapeHtml } from '../../src/http/error-page';
import {
  NOTES_SCRIPT,
  WHO_SCRIPT,
  page,
  roundTripSettings,
  sendToAlice,
  type RoundTripApp,
  type SessionMode,
} from './round-trip.app';

/**
 * The round-trip test app's pages in a plain Express app, through `nest-identity-web/express`:
 * the same routes, the same configuration, so the same tests run against both front doors.
 */
export async function startExpressRoundTripApp(
  emulator: RunningEmulator,
  consent: Record<string, unknown> = {},
  sessions: SessionMode = 'store',
): Promise<RoundTripApp> {
  const identity = createIdentityWeb(roundTripSettings(emulator, consent, sessions), {
    logger: { warn: () => {} },
  });
  const handled: string[] = [];
  const app = express();
  const html =
    (body: string): RequestHandler =>
    (_req, res) =>
      void res.type('html').send(body);
  const script =
    (body: string): RequestHandler =>
    (_req, res) =>
      void res.type('text/javascript').send(body);

  // Body parsers first, as Nest's Express platform has them, then the library's middleware.
  app.use(express.json(), express.urlencoded({ extended: true }), identity.middleware());
  app.use(identity.requireSignIn({ allowAnonymous: ['/who', '/who.js'] }));

  /** Needs Mail.Send before the handler runs, as the Nest app's guard does. */
  const mailSendGuard: RequestHandler = async (_req, _res, next) => {
    await identity.tokens.getAccessTokenForUser(['Mail.Send']);
    next();
  };
  app.get(
    '/guarded',
    identity.authorizeForScopes({ scopes: ['Mail.ReadWrite'] }),
    mailSendGuard,
    async (_req, res) => {
      const token = await identity.tokens.getAccessTokenForUser(['Mail.ReadWrite']);
      res.type('html').send(page('Guarded', `<p id="scopes">${escapeHtml(token.scopes.join(' '))}</p>`));
    },
  );
  app.get(
    '/notes',
    html(
      page('Notes', '<input id="subject"><button id="save">Save</button><p id="saved"></p>', [
        '/account/identity-web.js',
        '/notes.js',
      ]),
    ),
  );
  app.get('/notes.js', script(NOTES_SCRIPT));
  app.post('/api/notes', identity.authorizeForScopes({ scopes: ['Mail.Send'] }), async (req, res) => {
    handled.push('api/notes');
    await sendToAlice(identity.downstreamApi, String(req.body?.subject ?? ''));
    res.json({ saved: true });
  });
  app.get(
    '/form',
    html(
      page(
        'Form',
        '<form method="post" action="/form"><input name="subject"><button id="send">Send</button></form>',
      ),
    ),
  );
  app.post('/form', identity.authorizeForScopes({ scopes: ['Mail.Send'] }), async (req, res) => {
    handled.push(`form ${JSON.stringify(req.body)}`);
    await sendToAlice(identity.downstreamApi, String(req.body?.subject ?? ''));
    res.redirect(303, '/form?sent=1');
  });
  app.get('/stuck', () => {
    throw new ChallengeUserException(['User.Read'], 'User.Read is still refused.', {
      msalErrorCode: 'consent_required',
    });
  });
  app.get('/who', html(page('Who', '<p id="who"></p>', ['/account/identity-web.js', '/who.js'])));
  app.get('/who.js', script(WHO_SCRIPT));
  app.get('/api/me', (req, res) => void res.json({ username: identity.user(req)?.username }));
  app.use(identity.errorHandler());

  const server = await new Promise<import('node:http').Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const url = await appUrlOf(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  return {
    app: url,
    url,
    handled,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await identity.close();
    },
  };
}
