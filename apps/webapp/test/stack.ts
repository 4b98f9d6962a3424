import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DEFAULT_APPS, DEFAULT_TENANT_ID, type RunningEmulator } from 'entra-emulator';
import { launchChromium, newTestContext, startTestEmulator } from 'entra-emulator/testing';
import type { IdentityWebAppSettings } from 'nest-identity-web';
import type { Browser, Page } from 'playwright-core';
import { TodoApiModule } from '../../todo-api/src/app.module';
import { TodoApiSettings } from '../../todo-api/src/todo-api.settings';
import { WebAppModule } from '../src/web-app.module';

/** The whole sample running for a test: the emulator, the todo API, the web app, and Chromium. */
export interface SampleStack {
  emulator: RunningEmulator;
  todoApi: INestApplication;
  webApp: NestExpressApplication;
  /** `http://localhost:<port>`: the redirect URI must say localhost, as registered. */
  webUrl: string;
  browser: Browser;
  close(): Promise<void>;
}

/** The sample's appsettings, pointed at this run's emulator and todo API. */
export function sampleSettings(emulator: RunningEmulator, todoApiUrl: string): IdentityWebAppSettings {
  return {
    AzureAd: {
      Instance: `${emulator.baseUrl}/`,
      TenantId: DEFAULT_TENANT_ID,
      ClientId: DEFAULT_APPS.webApp.clientId,
      CallbackPath: '/signin-oidc',
      // As appsettings.json: the profile's scope at sign-in, so a first sign-in asks consent once.
      InitialScopes: ['User.Read'],
      ClientCredentials: [{ SourceType: 'ClientSecret', ClientSecret: DEFAULT_APPS.webApp.clientSecret }],
      ClientCapabilities: ['cp1'], // as in appsettings.json: Graph's CAE challenges reach only cp1 clients
    },
    DownstreamApis: {
      GraphAPI: { BaseUrl: `${emulator.baseUrl}/v1.0`, Scopes: ['User.Read'] },
      TodoList: { BaseUrl: todoApiUrl, Scopes: ['api://todo-api/access_as_user'] },
    },
    IdentityWeb: {
      Session: { Secret: 'a-test-session-secret-that-is-long-enough-1234' },
      Consent: { ApplicationName: 'the Identity Web sample' },
    },
  };
}

export async function startSampleStack(): Promise<SampleStack> {
  const emulator = await startTestEmulator({ controlApi: true });
  const todoSettings = await TodoApiSettings.discover(emulator.authority, [
    DEFAULT_APPS.todoApi.clientId,
    'api://todo-api',
  ]);
  const todoApi = await NestFactory.create(TodoApiModule.forSettings(todoSettings), { logger: false });
  await todoApi.listen(0, '127.0.0.1');
  const todoApiUrl = (await todoApi.getUrl()).replace('127.0.0.1', 'localhost');
  const webApp = await NestFactory.create<NestExpressApplication>(
    WebAppModule.forSettings(sampleSettings(emulator, todoApiUrl)),
    { logger: ['error'] },
  );
  webApp.useBodyParser('urlencoded', { extended: false });
  await webApp.listen(0, '127.0.0.1');
  const webUrl = (await webApp.getUrl()).replace('127.0.0.1', 'localhost');
  const browser = await launchChromium();
  return {
    emulator,
    todoApi,
    webApp,
    webUrl,
    browser,
    async close() {
      await browser.close();
      await webApp.close();
      await todoApi.close();
      await emulator.close();
    },
  };
}

/** A page in a fresh browser profile (no cookies) that trusts the emulator's certificate. */
export async function newPage(stack: SampleStack): Promise<Page> {
  return (await newTestContext(stack.browser)).newPage();
}
