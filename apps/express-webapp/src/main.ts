import 'reflect-metadata';
import { join } from 'node:path';
import { loadAppSettings } from 'nest-identity-web';
import { createExpressWebApp } from './app';

/**
 * Starts the plain Express sample with its appsettings.json (`APPSETTINGS_DIR` reads another
 * folder; `AzureAd__Instance`-style environment variables override). PORT: default 5002.
 */
const settings = loadAppSettings({ directory: process.env.APPSETTINGS_DIR ?? join(__dirname, '..') });
const { app, identity } = createExpressWebApp(settings);
const port = Number(process.env.PORT ?? 5002);
const server = app.listen(port, '127.0.0.1', (err?: Error) => {
  if (err) {
    console.error(err);
    process.exit(1);
  }
  console.log(`express-webapp listening on http://localhost:${port}`);
});

function stop(): void {
  server.close(() => void identity.close().then(() => process.exit(0)));
  server.closeIdleConnections();
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
