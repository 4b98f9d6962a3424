import { BlobServiceClient } from '@azure/storage-blob';
import { Body, Controller, Get, Module, Param, Put, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { RunningEmulator } from 'entra-emulator';
import session from 'express-session';
import type { AddressInfo } from 'node:net';
import { AuthorizeForScopes, IdentityWebModule } from 'nest-identity-web';
import { IdentityWebAzureModule, MicrosoftIdentityTokenCredential } from 'nest-identity-web-azure';

/** The delegated permission on Azure Storage that lets an app act as the user. */
export const STORAGE_USER_IMPERSONATION = 'https://storage.azure.com/user_impersonation';

/** Where the storage account is. */
export class StorageAccount {
  constructor(readonly url: string) {}
}

/** The seed's StorageController, ported: Azure SDK clients made per request with the injected credential. */
@Controller()
@AuthorizeForScopes({ scopes: [STORAGE_USER_IMPERSONATION] })
class BlobsController {
  constructor(
    private readonly credential: MicrosoftIdentityTokenCredential,
    private readonly storage: StorageAccount,
  ) {}

  @Get('blobs/:container')
  async list(@Param('container') container: string): Promise<string[]> {
    return listBlobNames(new BlobServiceClient(this.storage.url, this.credential), container);
  }

  @Put('blobs/:container/:name')
  async upload(
    @Param('container') container: string,
    @Param('name') name: string,
    @Body() body: { text: string },
  ): Promise<{ uploaded: string }> {
    const service = new BlobServiceClient(this.storage.url, this.credential);
    const containerClient = service.getContainerClient(container);
    await containerClient.createIfNotExists();
    await containerClient.getBlockBlobClient(name).upload(body.text, Buffer.byteLength(body.text));
    return { uploaded: name };
  }

  /** What the SDK is handed for Storage: the token's claims, never the token itself. */
  @Get('storage-token-claims')
  async storageTokenClaims(): Promise<Record<string, unknown>> {
    const { token } = await this.credential.getToken('https://storage.azure.com/.default');
    return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as Record<string, unknown>;
  }

  /** The same listing as the app itself (client credentials). */
  @Get('app/blobs/:container')
  async listAsApp(@Param('container') container: string): Promise<string[]> {
    return listBlobNames(new BlobServiceClient(this.storage.url, this.credential.forApp()), container);
  }
}

async function listBlobNames(service: BlobServiceClient, container: string): Promise<string[]> {
  const names: string[] = [];
  for await (const blob of service.getContainerClient(container).listBlobsFlat()) names.push(blob.name);
  return names;
}

/** A running test app. */
export interface BlobsTestApp {
  app: INestApplication;
  baseUrl: string;
  credential: MicrosoftIdentityTokenCredential;
  close(): Promise<void>;
}

/** Starts the app on a free port of localhost: IdentityWebModule for the emulator's web app, plus the Azure module. */
export async function startBlobsApp(
  emulator: RunningEmulator,
  app: { clientId: string; clientSecret: string },
  storageUrl: string,
): Promise<BlobsTestApp> {
  @Module({
    imports: [
      IdentityWebModule.forRoot({
        azureAd: {
          instance: `${emulator.baseUrl}/`,
          tenantId: emulator.tenantId,
          clientId: app.clientId,
          callbackPath: '/signin-oidc',
          clientCredentials: [{ sourceType: 'ClientSecret', clientSecret: app.clientSecret }],
          httpTimeoutMs: 5_000,
        },
        session: { secret: 'a-test-session-secret-of-32-characters!!', store: new session.MemoryStore() },
      }),
      IdentityWebAzureModule.forRoot(),
    ],
    controllers: [BlobsController],
    providers: [{ provide: StorageAccount, useValue: new StorageAccount(storageUrl) }],
  })
  class BlobsTestModule {}

  const nest = await NestFactory.create(BlobsTestModule, { logger: false });
  await nest.listen(0);
  const port = (nest.getHttpServer().address() as AddressInfo).port;
  return {
    app: nest,
    baseUrl: `http://localhost:${port}`,
    credential: nest.get(MicrosoftIdentityTokenCredential),
    close: () => nest.close(),
  };
}
