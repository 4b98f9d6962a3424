import {
  Body,
  Controller,
  Get,
  Header,
  Injectable,
  Module,
  Post,
  Redirect,
  UseGuards,
  type CanActivate,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DEFAULT_APPS, DEFAULT_USERS, type RunningEmulator } from 'entra-emulator';
import { azureAdSettings, appUrlOf, type AppUnderTest } from 'entra-emulator/testing';
import session from 'express-session';
import {
  AllowAnonymous,
  AuthorizeForScopes,
  ChallengeUserException,
  CurrentUser,
  DownstreamApiService,
  IdentityWebModule,
  TokenAcquisitionService,
  type SignedInUser,
} from 'nest-identity-web';
import { escapeHtml } from '../../src/http/error-page';

/** Needs Mail.Send before the handler runs: the challenge comes from a guard. */
@Injectable()
class MailSendGuard implements CanActivate {
  constructor(private readonly tokens: TokenAcquisitionService) {}

  async canActivate(): Promise<boolean> {
    await this.tokens.getAccessTokenForUser(['Mail.Send']);
    return true;
  }
}

export function page(title: string, body: string, scripts: string[] = []): string {
  const tags = scripts.map((src) => `<script src="${src}"></script>`).join('');
  return `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1>${body}${tags}</body></html>`;
}

/** Saves a note by mailing it to alice through a JSON call, as a single-page app would. */
export const NOTES_SCRIPT = `document.getElementById('save').addEventListener('click', async () => {
  const response = await identityWeb.fetch('/api/notes', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ subject: document.getElementById('subject').value }),
  });
  document.getElementById('saved').textContent = response.ok ? 'saved' : 'failed ' + response.status;
});
`;

/** Shows who is signed in, through a call that needs a session. */
export const WHO_SCRIPT = `identityWeb.fetch('/api/me', { headers: { accept: 'application/json' } })
  .then((response) => response.json())
  .then((me) => { document.getElementById('who').textContent = me.username; });
`;

@Controller()
class RoundTripController {
  /** Requests that reached the handlers, by route: a replay must reach them exactly once. */
  static readonly handled: string[] = [];

  constructor(
    private readonly tokens: TokenAcquisitionService,
    private readonly api: DownstreamApiService,
  ) {}

  @Get('guarded')
  @UseGuards(MailSendGuard)
  @AuthorizeForScopes({ scopes: ['Mail.ReadWrite'] })
  @Header('content-type', 'text/html; charset=utf-8')
  async guarded(): Promise<string> {
    const token = await this.tokens.getAccessTokenForUser(['Mail.ReadWrite']);
    return page('Guarded', `<p id="scopes">${escapeHtml(token.scopes.join(' '))}</p>`);
  }

  @Get('notes')
  @Header('content-type', 'text/html; charset=utf-8')
  notes(): string {
    return page('Notes', '<input id="subject"><button id="save">Save</button><p id="saved"></p>', [
      '/account/identity-web.js',
      '/notes.js',
    ]);
  }

  @Get('notes.js')
  @Header('content-type', 'text/javascript; charset=utf-8')
  notesScript(): string {
    return NOTES_SCRIPT;
  }

  @Post('api/notes')
  @AuthorizeForScopes({ scopes: ['Mail.Send'] })
  async saveNote(@Body() body: { subject?: string }): Promise<{ saved: true }> {
    RoundTripController.handled.push('api/notes');
    await this.sendToAlice(String(body?.subject ?? ''));
    return { saved: true };
  }

  @Get('form')
  @Header('content-type', 'text/html; charset=utf-8')
  form(): string {
    return page(
      'Form',
      '<form method="post" action="/form"><input name="subject"><button id="send">Send</button></form>',
    );
  }

  @Post('form')
  @AuthorizeForScopes({ scopes: ['Mail.Send'] })
  @Redirect('/form?sent=1', 303)
  async send(@Body() body: Record<string, string | string[]>): Promise<void> {
    RoundTripController.handled.push(`form ${JSON.stringify(body)}`);
    await this.sendToAlice(String(body?.subject ?? ''));
  }

  /** A challenge that a round trip never satisfies, as when consent cannot take effect. */
  @Get('stuck')
  stuck(): never {
    throw new ChallengeUserException(['User.Read'], 'User.Read is still refused.', {
      msalErrorCode: 'consent_required',
    });
  }

  @AllowAnonymous()
  @Get('who')
  @Header('content-type', 'text/html; charset=utf-8')
  who(): string {
    return page('Who', '<p id="who"></p>', ['/account/identity-web.js', '/who.js']);
  }

  @AllowAnonymous()
  @Get('who.js')
  @Header('content-type', 'text/javascript; charset=utf-8')
  whoScript(): string {
    return WHO_SCRIPT;
  }

  @Get('api/me')
  me(@CurrentUser() user: SignedInUser): { username: string } {
    return { username: user.username };
  }

  private sendToAlice(subject: string): Promise<unknown> {
    return sendToAlice(this.api, subject);
  }
}

/** Mails `subject` to alice as the signed-in user (needs Mail.Send). */
export function sendToAlice(api: DownstreamApiService, subject: string): Promise<unknown> {
  const message = { subject, toRecipients: [{ emailAddress: { address: DEFAULT_USERS.alice.username } }] };
  return api.postForUser('GraphAPI', { message }, { relativePath: 'me/sendMail', scopes: ['Mail.Send'] });
}

/** The configuration of the round-trip apps, for the emulator's default web app. */
export function roundTripSettings(
  emulator: RunningEmulator,
  consent: Record<string, unknown> = {},
  sessions: SessionMode = 'store',
) {
  return {
    AzureAd: azureAdSettings(emulator, DEFAULT_APPS.webApp),
    DownstreamApis: { GraphAPI: { BaseUrl: `${emulator.baseUrl}/v1.0`, Scopes: ['User.Read'] } },
    IdentityWeb: {
      Session: {
        Secret: 'a-round-trip-test-session-secret-000000',
        ...(sessions === 'cookie' ? { Mode: 'cookie' } : { Store: new session.MemoryStore() }),
      },
      Consent: { ApplicationName: 'Contoso Notes', ...consent },
    },
  };
}

/** Where the app keeps sessions: `IdentityWeb:Session:Mode`. */
export type SessionMode = 'store' | 'cookie';

/** A running round-trip test app. */
export interface RoundTripApp {
  app: AppUnderTest;
  url: string;
  /** Requests that reached the form and note handlers, in order. */
  handled: string[];
  close(): Promise<void>;
}

/** Starts the test app for the emulator's default web app; `consent` goes to `IdentityWeb:Consent`. */
export async function startRoundTripApp(
  emulator: RunningEmulator,
  consent: Record<string, unknown> = {},
  sessions: SessionMode = 'store',
): Promise<RoundTripApp> {
  @Module({
    imports: [IdentityWebModule.forRoot(roundTripSettings(emulator, consent, sessions))],
    controllers: [RoundTripController],
    providers: [MailSendGuard],
  })
  class RoundTripModule {}

  const app = await NestFactory.create(RoundTripModule, { logger: false });
  await app.listen(0, '127.0.0.1');
  RoundTripController.handled.length = 0;
  return {
    app,
    url: await appUrlOf(app),
    handled: RoundTripController.handled,
    close: () => app.close(),
  };
}
