import { type DynamicModule, Module } from '@nestjs/common';
import { AzureAdBearerGuard } from './azure-ad-bearer.guard';
import { AzureAdBearerStrategy } from './azure-ad-bearer.strategy';
import { TodoController } from './todo.controller';
import { TodoStore } from './todo.store';
import { TodoApiSettings } from './todo-api.settings';

/** The todo API: give it the settings discovered from the authority. */
@Module({})
export class TodoApiModule {
  static forSettings(settings: TodoApiSettings): DynamicModule {
    return {
      module: TodoApiModule,
      controllers: [TodoController],
      providers: [
        TodoStore,
        AzureAdBearerStrategy,
        AzureAdBearerGuard,
        { provide: TodoApiSettings, useValue: settings },
      ],
    };
  }
}
