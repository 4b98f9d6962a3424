import express, { type Request } from 'express';
import { join } from 'node:path';
import {
  createIdentityWeb,
  type IdentityWebExpress,
  type IdentityWebExpressOverrides,
} from 'nest-identity-web/express';
import { layout, text } from './html';

interface GraphUser {
  displayName?: string;
  userPrincipalName?: string;
  jobTitle?: string;
}

interface Message {
  id: string;
  subject?: string;
  from?: { emailAddress?: { name?: string } };
}

/** The sample app and the library's front door it is built on. */
export interface ExpressWebApp {
  app: express.Express;
  identity: IdentityWebExpress;
}

/**
 * The tour's profile and mail pages as a plain Express app: sign-in, Microsoft Graph as the
 * signed-in user, and incremental consent for Mail.Read and Mail.Send, from an appsettings object.
 */
export function createExpressWebApp(
  settings: Record<string, unknown>,
  overrides: IdentityWebExpressOverrides = {},
): ExpressWebApp {
  const identity = createIdentityWeb(settings, overrides);
  const app = express();
  app.disable('x-powered-by');
  const who = (req: Request) => {
    const user = identity.user(req);
    return user && (user.name ?? user.username);
  };
  const messages = async (folder: unknown, top: unknown): Promise<Message[]> => {
    const inbox = folder === undefined || folder === 'inbox';
    const result = await identity.downstreamApi.getForUser<{ value: Message[] }>('GraphAPI', {
      relativePath: inbox ? 'me/messages' : `me/mailFolders/${encodeURIComponent(String(folder))}/messages`,
      scopes: ['Mail.Read'],
      queryParameters: {
        $top: String(Math.min(Math.max(Number(top) || 10, 1), 50)),
        $select: 'id,subject,from',
      },
    });
    return result.value;
  };
  const mailRead = identity.authorizeForScopes({ scopes: ['Mail.Read'] });

  // Body parsers before the library's middleware: a form post kept during consent is read from req.body.
  app.use(express.urlencoded({ extended: false }), identity.middleware());
  app.use('/scripts', express.static(join(__dirname, '..', 'public')));
  app.use(identity.requireSignIn({ allowAnonymous: ['/'] }));

  app.get('/', (req, res) => {
    const body = identity.user(req)
      ? '<p>You are signed in. Open your profile or your mail.</p>'
      : '<p>Sign in to see your profile and mail.</p>';
    res.type('html').send(layout('Identity Web — plain Express sample', body, who(req)));
  });

  app.get('/profile', identity.authorizeForScopes('DownstreamApis:GraphAPI:Scopes'), async (req, res) => {
    const me = await identity.downstreamApi.getForUser<GraphUser>('GraphAPI', { relativePath: 'me' });
    const body = `<dl>
<dt>Name</dt><dd id="display-name">${text(me.displayName)}</dd>
<dt>User principal name</dt><dd id="upn">${text(me.userPrincipalName)}</dd>
<dt>Job title</dt><dd>${text(me.jobTitle)}</dd>
</dl>`;
    res.type('html').send(layout('Profile', body, who(req)));
  });

  app.get('/emails', mailRead, async (req, res) => {
    const folder = req.query.folder ?? 'inbox';
    const list = await messages(folder, req.query.top);
    const items = list
      .map((m) => `<li class="message">${text(m.subject)} — ${text(m.from?.emailAddress?.name)}</li>`)
      .join('\n');
    res.type('html').send(layout(`Mail (${String(folder)})`, `<ul id="messages">${items}</ul>`, who(req)));
  });

  app.get('/api/emails', mailRead, async (req, res) => {
    res.json(await messages(req.query.folder, req.query.top));
  });

  app.get('/emails/live', (req, res) => {
    const body = `<ul id="live-messages"></ul>
<script src="/account/identity-web.js"></script>
<script src="/scripts/live-messages.js"></script>`;
    res.type('html').send(layout('Mail (live)', body, who(req)));
  });

  app.get('/compose', (req, res) => {
    const sent = req.query.sent ? '<p id="sent">Sent.</p>' : '';
    const form = `<form method="post" action="/emails/send">
<p><input name="to" type="email" required placeholder="To"> <input name="subject" required placeholder="Subject"></p>
<p><textarea name="body" rows="5" cols="60" placeholder="Message"></textarea></p>
<button type="submit" id="send">Send</button></form>`;
    res.type('html').send(layout('New message', sent + form, who(req)));
  });

  app.post('/emails/send', identity.authorizeForScopes({ scopes: ['Mail.Send'] }), async (req, res) => {
    const fields = (req.body ?? {}) as Record<string, unknown>;
    const message = {
      subject: String(fields.subject ?? ''),
      body: { contentType: 'Text', content: String(fields.body ?? '') },
      toRecipients: [{ emailAddress: { address: String(fields.to ?? '') } }],
    };
    await identity.downstreamApi.postForUser(
      'GraphAPI',
      { message },
      { relativePath: 'me/sendMail', scopes: ['Mail.Send'] },
    );
    res.redirect(303, '/compose?sent=1');
  });

  // The library's errors (sign-in, consent round trips, error pages); others go on to Express's own.
  app.use(identity.errorHandler());
  return { app, identity };
}
