// Run by debug-output.e2e.spec.ts in a child process with DEBUG=* (the `debug` package reads it at
// load time): signs a user in over HTTP through the real callback, then prints the code it used.
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DEFAULT_APPS, DEFAULT_USERS, startEmulator } from 'entra-emulator';
import { authorizeOverHttp } from 'entra-emulator/testing';
import type { AddressInfo } from 'node:net';
import { IdentityWebModule } from '../../../src';

async function main(): Promise<void> {
  const emulator = await startEmulator();
  @Module({
    imports: [
      IdentityWebModule.forRoot({
        azureAd: {
          instance: `${emulator.baseUrl}/`,
          tenantId: emulator.tenantId,
          clientId: DEFAULT_APPS.webApp.clientId,
          callbackPath: '/signin-oidc',
          clientCredentials: [{ sourceType: 'ClientSecret', clientSecret: DEFAULT_APPS.webApp.clientSecret }],
        },
        session: { secret: 'a-test-session-secret-of-32-characters!!' },
      }),
    ],
  })
  class AppModule {}
  const app = await NestFactory.create(AppModule, { logger: false });
  await app.listen(0);
  const base = `http://localhost:${(app.getHttpServer().address() as AddressInfo).port}`;
  try {
    const start = await fetch(`${base}/account/signin?returnUrl=%2F`, { redirect: 'manual' });
    const cookie = start.headers.get('set-cookie')!.split(';')[0];
    const answer = await authorizeOverHttp(start.headers.get('location')!, DEFAULT_USERS.alice);
    const callback = new URL(answer.url);
    for (const [name, value] of answer.params) callback.searchParams.set(name, value);
    const done = await fetch(callback, { redirect: 'manual', headers: { cookie } });
    process.stdout.write(`\nCALLBACK_STATUS=${done.status} LOCATION=${done.headers.get('location')}\n`);
    process.stdout.write(`CODE_USED=${answer.params.get('code')}\n`);
  } finally {
    await app.close();
    await emulator.close();
  }
}

main().catch((err: unknown) => {
  process.stdout.write(`CHILD_FAILED ${String((err as Error)?.stack ?? err)}\n`);
  process.exitCode = 1;
});
