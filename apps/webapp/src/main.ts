import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IdentityWebAppSettings } from 'nest-identity-web';
import { WebAppModule } from './web-app.module';

/**
 * Starts the sample web app with appsettings.json (environment variables such as
 * `AzureAd__ClientSecret` or `DownstreamApis__TodoList__BaseUrl` override it). PORT: default 5000.
 */
async function main(): Promise<void> {
  const file = process.env.APPSETTINGS ?? join(__dirname, '..', 'appsettings.json');
  const settings = JSON.parse(readFileSync(file, 'utf8')) as IdentityWebAppSettings;
  const app = await NestFactory.create<NestExpressApplication>(WebAppModule.forSettings(settings));
  app.useBodyParser('urlencoded', { extended: false });
  const port = Number(process.env.PORT ?? 5000);
  await app.listen(port, '127.0.0.1');
  console.log(`webapp listening on http://localhost:${port}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
