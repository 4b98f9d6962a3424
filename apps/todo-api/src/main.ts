import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { TodoApiModule } from './app.module';
import { TodoApiSettings } from './todo-api.settings';

/**
 * Starts the todo API. Environment: TODO_API_AUTHORITY (required), TODO_API_AUDIENCES
 * (comma-separated; default the emulator's todo-api client id and `api://todo-api`), PORT.
 */
async function main(): Promise<void> {
  const authority = process.env.TODO_API_AUTHORITY;
  if (!authority) throw new Error('TODO_API_AUTHORITY is required, e.g. https://localhost:8443/<tenant-id>');
  const audiences = (
    process.env.TODO_API_AUDIENCES ?? '8e7d6c5b-4a3f-4e2d-9c1b-0a9f8e7d6c5b,api://todo-api'
  ).split(',');
  const settings = await TodoApiSettings.discover(authority, audiences);
  const app = await NestFactory.create(TodoApiModule.forSettings(settings));
  const port = Number(process.env.PORT ?? 5001);
  await app.listen(port, '127.0.0.1');
  console.log(`todo-api listening on http://localhost:${port}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
