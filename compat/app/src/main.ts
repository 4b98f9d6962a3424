import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';

async function main(): Promise<void> {
  const app = await NestFactory.create(AppModule);
  await app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
  new Logger('Main').log(`listening on ${await app.getUrl()}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
