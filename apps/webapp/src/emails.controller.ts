import { Body, Controller, Get, Header, Post, Query, Redirect } from '@nestjs/common';
import { AuthorizeForScopes, CurrentUser, DownstreamApiService, type SignedInUser } from 'nest-identity-web';
import { escapeHtml, page } from './html';

/** The live page's script: loads the list through `identityWeb.fetch`, which follows consent challenges. */
const LIVE_SCRIPT = `(async () => {
  const response = await identityWeb.fetch('/api/emails?top=5', { headers: { accept: 'application/json' } });
  const list = document.getElementById('live-messages');
  for (const message of await response.json()) {
    const item = document.createElement('li');
    item.textContent = message.subject;
    list.append(item);
  }
})();
`;

interface Message {
  id: string;
  subject?: string;
  from?: { emailAddress?: { name?: string; address?: string } };
}

/**
 * The user's mail, from Microsoft Graph. Sign-in asks only for User.Read, so the first visit
 * needs Mail.Read: `@AuthorizeForScopes` sends the user through consent and back here.
 */
@Controller()
@AuthorizeForScopes({ scopes: ['Mail.Read'] })
export class EmailsController {
  constructor(private readonly api: DownstreamApiService) {}

  @Get('emails')
  @Header('content-type', 'text/html; charset=utf-8')
  async page(
    @CurrentUser() user: SignedInUser,
    @Query('folder') folder = 'inbox',
    @Query('top') top = '10',
  ): Promise<string> {
    const messages = await this.messages(folder, top);
    const items = messages
      .map(
        (m) =>
          `<li class="message">${escapeHtml(m.subject)} — ${escapeHtml(m.from?.emailAddress?.name)}</li>`,
      )
      .join('\n');
    return page(`Mail (${folder})`, `<ul id="messages">${items}</ul>`, user.name ?? user.username);
  }

  /** The same list as JSON, for script callers (a 401 with a challenge URL when consent is missing). */
  @Get('api/emails')
  async json(@Query('folder') folder = 'inbox', @Query('top') top = '10'): Promise<Message[]> {
    return this.messages(folder, top);
  }

  /**
   * The list loaded by the page's own script through the library's browser helper
   * (`/account/identity-web.js`): when Mail.Read is missing, the helper sends the user through
   * consent and back to this page, which then loads the list. Scripts are files, no inline code.
   */
  @Get('emails/live')
  @Header('content-type', 'text/html; charset=utf-8')
  live(@CurrentUser() user: SignedInUser): string {
    return page(
      'Mail (live)',
      `<ul id="live-messages"></ul>
<script src="/account/identity-web.js"></script>
<script src="/emails/live.js"></script>`,
      user.name ?? user.username,
    );
  }

  @Get('emails/live.js')
  @Header('content-type', 'text/javascript; charset=utf-8')
  liveScript(): string {
    return LIVE_SCRIPT;
  }

  /**
   * A form to send mail; sending needs Mail.Send, which is asked for when the form is posted. The
   * library keeps what was typed during the consent round trip and sends it once afterwards.
   */
  @Get('compose')
  @Header('content-type', 'text/html; charset=utf-8')
  compose(@CurrentUser() user: SignedInUser, @Query('sent') sent?: string): string {
    return page(
      'New message',
      `${sent ? '<p id="sent">Sent.</p>' : ''}<form method="post" action="/emails/send">
<p><input name="to" type="email" required placeholder="To"> <input name="subject" required placeholder="Subject"></p>
<p><textarea name="body" rows="5" cols="60" placeholder="Message"></textarea></p>
<button type="submit" id="send">Send</button></form>`,
      user.name ?? user.username,
    );
  }

  @Post('emails/send')
  @AuthorizeForScopes({ scopes: ['Mail.Send'] })
  @Redirect('/compose?sent=1', 303)
  async send(@Body() body: { to?: string; subject?: string; body?: string }): Promise<void> {
    await this.api.postForUser(
      'GraphAPI',
      {
        message: {
          subject: String(body?.subject ?? ''),
          body: { contentType: 'Text', content: String(body?.body ?? '') },
          toRecipients: [{ emailAddress: { address: String(body?.to ?? '') } }],
        },
      },
      { relativePath: 'me/sendMail', scopes: ['Mail.Send'] },
    );
  }

  private async messages(folder: string, top: string): Promise<Message[]> {
    const result = await this.api.getForUser<{ value: Message[] }>('GraphAPI', {
      relativePath:
        folder === 'inbox' ? 'me/messages' : `me/mailFolders/${encodeURIComponent(folder)}/messages`,
      scopes: ['Mail.Read'],
      queryParameters: {
        $top: String(Math.min(Math.max(Number(top) || 10, 1), 50)),
        $select: 'id,subject,from',
      },
    });
    return result.value;
  }
}
