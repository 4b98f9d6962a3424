import { Controller, Get, Module, Param, Query, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { PageIterator } from '@microsoft/microsoft-graph-client';
import { DEFAULT_APPS, DEFAULT_TENANT_ID, type RunningEmulator } from 'entra-emulator';
import { AllowAnonymous, IdentityWebModule, type IdentityWebAppSettings } from 'nest-identity-web';
import {
  GraphServiceClient,
  graphTokenOptions,
  IdentityWebGraphModule,
  type IdentityWebGraphModuleOptions,
} from 'nest-identity-web-graph';

interface Message {
  id: string;
  subject?: string;
}

/** The seed guide's controller: the user's profile and their ten latest messages, through the injected client. */
@Controller('graph')
class GraphController {
  constructor(private readonly graph: GraphServiceClient) {}

  @Get('me')
  me(): Promise<{ userPrincipalName: string; displayName: string }> {
    return this.graph.api('/me').get();
  }

  @Get('messages')
  messages(@Query('top') top = '10'): Promise<{ value: Message[]; '@odata.nextLink'?: string }> {
    return this.graph
      .api('/me/messages')
      .middlewareOptions([graphTokenOptions({ scopes: ['Mail.Read'] })])
      .top(Number(top))
      .select(['id', 'subject'])
      .get();
  }

  /** Every message, page after page: the `@odata.nextLink` URLs are absolute, on the same host. */
  @Get('messages/all')
  async allMessages(): Promise<{ count: number }> {
    const options = [graphTokenOptions({ scopes: ['Mail.Read'] })];
    const first = await this.graph.api('/me/messages').middlewareOptions(options).top(10).get();
    let count = 0;
    const iterator = new PageIterator(
      this.graph,
      first,
      () => {
        count += 1;
        return true;
      },
      { middlewareOptions: options },
    );
    await iterator.iterate();
    return { count };
  }

  /** With the app's own token: no signed-in user needed. */
  @AllowAnonymous()
  @Get('users/:upn')
  user(@Param('upn') upn: string): Promise<{ userPrincipalName: string }> {
    return this.graph.api(`/users/${encodeURIComponent(upn)}`).get();
  }
}

/** appsettings for the emulator's default web app, as a user writes them. */
export function graphTestSettings(emulator: RunningEmulator): IdentityWebAppSettings {
  return {
    AzureAd: {
      Instance: `${emulator.baseUrl}/`,
      TenantId: DEFAULT_TENANT_ID,
      ClientId: DEFAULT_APPS.webApp.clientId,
      ClientSecret: DEFAULT_APPS.webApp.clientSecret,
      CallbackPath: '/signin-oidc',
      // Graph sends continuous-access-evaluation challenges only to clients that declare cp1.
      ClientCapabilities: ['cp1'],
    },
    DownstreamApis: {
      GraphAPI: { BaseUrl: `${emulator.baseUrl}/v1.0`, Scopes: ['User.Read'] },
    },
    IdentityWeb: { Session: { Secret: 'a-graph-test-session-secret-of-32-characters' } },
  };
}

/** A running test app on `http://localhost:<port>` (the redirect URI the emulator accepts on any port). */
export interface GraphTestApp {
  app: INestApplication;
  baseUrl: string;
  close(): Promise<void>;
}

export async function startGraphTestApp(
  emulator: RunningEmulator,
  graphOptions: IdentityWebGraphModuleOptions = {},
): Promise<GraphTestApp> {
  @Module({
    imports: [
      IdentityWebModule.forRoot(graphTestSettings(emulator)),
      IdentityWebGraphModule.forRoot(graphOptions),
    ],
    controllers: [GraphController],
  })
  class GraphTestModule {}

  const app = await NestFactory.create(GraphTestModule, { logger: false });
  await app.listen(0, '127.0.0.1');
  const baseUrl = (await app.getUrl()).replace('127.0.0.1', 'localhost');
  return { app, baseUrl, close: () => app.close() };
}
