import { Controller, Get, Header } from '@nestjs/common';
import { AuthorizeForScopes, CurrentUser, DownstreamApiService, type SignedInUser } from 'nest-identity-web';
import { escapeHtml, page } from './html';

interface GraphUser {
  displayName?: string;
  mail?: string;
  userPrincipalName?: string;
  jobTitle?: string;
}

/** The signed-in user's profile, from Microsoft Graph. */
@Controller('profile')
@AuthorizeForScopes('DownstreamApis:GraphAPI:Scopes')
export class ProfileController {
  constructor(private readonly api: DownstreamApiService) {}

  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  async profile(@CurrentUser() user: SignedInUser): Promise<string> {
    const me = await this.api.getForUser<GraphUser>('GraphAPI', { relativePath: 'me' });
    return page(
      'Profile',
      `<dl>
<dt>Name</dt><dd id="display-name">${escapeHtml(me.displayName)}</dd>
<dt>User principal name</dt><dd id="upn">${escapeHtml(me.userPrincipalName)}</dd>
<dt>Job title</dt><dd>${escapeHtml(me.jobTitle)}</dd>
</dl>`,
      user.name ?? user.username,
    );
  }
}
