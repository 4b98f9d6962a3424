import express from 'express';
import type { AddressInfo } from 'node:net';
import { loadAppSettings } from 'nest-identity-web';
import { createIdentityWeb } from 'nest-identity-web/express';

interface GraphUser {
  displayName: string;
  userPrincipalName: string;
}

// The README's plain Express app, from the packed package: appsettings.json, overridden by the
// AzureAd__Instance-style variables compat/run.mjs sets to point at its emulator.
const identity = createIdentityWeb(loadAppSettings());
const app = express();
app.use(express.urlencoded({ extended: true }), express.json());
app.use(identity.middleware());
app.use(identity.requireSignIn());
app.get('/me', identity.authorizeForScopes('DownstreamApis:GraphAPI:Scopes'), async (_req, res) => {
  res.json(await identity.downstreamApi.getForUser<GraphUser>('GraphAPI', { relativePath: 'me' }));
});
app.use(identity.errorHandler());

const server = app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  const { address, port } = server.address() as AddressInfo;
  process.stdout.write(`listening on http://${address}:${port}\n`);
});
