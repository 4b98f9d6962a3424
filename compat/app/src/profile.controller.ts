import { Controller, Get } from '@nestjs/common';
import { AuthorizeForScopes, DownstreamApiService } from 'nest-identity-web';
import { MicrosoftIdentityTokenCredential } from 'nest-identity-web-azure';
import { GraphServiceClient } from 'nest-identity-web-graph';

export interface GraphUser {
  displayName: string;
  userPrincipalName: string;
}

/** The signed-in user as Microsoft Graph sees them, through each package's public API. */
@Controller()
@AuthorizeForScopes('DownstreamApis:GraphAPI:Scopes')
export class ProfileController {
  constructor(
    private readonly api: DownstreamApiService,
    private readonly graph: GraphServiceClient,
    private readonly credential: MicrosoftIdentityTokenCredential,
  ) {}

  /** nest-identity-web: Graph's /me through the DownstreamApis:GraphAPI settings. */
  @Get('me')
  me(): Promise<GraphUser> {
    return this.api.getForUser<GraphUser>('GraphAPI', { relativePath: 'me' });
  }

  /** nest-identity-web-graph: the same through the injected Graph client. */
  @Get('graph/me')
  graphMe(): Promise<GraphUser> {
    return this.graph.api('/me').get();
  }

  /** nest-identity-web-azure: the Azure SDK credential's token for Graph, and whom it names. */
  @Get('azure/token')
  async azureToken(): Promise<{ aud: string; upn: string }> {
    const token = await this.credential.getToken('https://graph.microsoft.com/.default');
    if (!token) throw new Error('The credential returned no token');
    const { aud, upn } = JSON.parse(Buffer.from(token.token.split('.')[1], 'base64url').toString());
    return { aud, upn };
  }
}
