import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { join } from 'node:path';
import { loadAppSettings } from 'nest-identity-web';
import { WebAppModule } from './web-app.module';

/**
 * Starts the sample web app with its appsettings.json, as .NET reads it: comments allowed,
 * `appsettings.{environment}.json` (`NODE_ENV` or `ASPNETCORE_ENVIRONMENT`) layered over it, then
 * environment variables such as `AzureAd__ClientSecret` or `DownstreamApis__TodoList__BaseUrl`.
 * `APPSETTINGS_DIR` reads the files from another folder. PORT: default 5000. `INSTANCE_ID` (the tour's
 * two-instance mode and tests) names the instance in an `X-Instance-Id` response header.
 */
async function main(): Promise<void> {
  const settings = loadAppSettings({ directory: process.env.APPSETTINGS_DIR ?? join(__dirname, '..') });
  const app = await NestFactory.create<NestExpressApplication>(WebAppModule.forSettings(settings));
  app.useBodyParser('urlencoded', { extended: false });
  const instanceId = process.env.INSTANCE_ID;
  if (instanceId) {
    app.use((_req: unknown, res: { setHeader(name: string, value: string): void }, next: () => void) => {
      res.setHeader('X-Instance-Id', instanceId);
      next();
    });
  }
  const port = Number(process.env.PORT ?? 5000);
  await app.listen(port, '127.0.0.1');
  console.log(`webapp listening on http://localhost:${port}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
