import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  ParseIntPipe,
  Post,
  Put,
  Req,
  UseGuards,
} from '@nestjs/common';
import { AzureAdBearerGuard } from './azure-ad-bearer.guard';
import type { AuthenticatedRequest } from './caller';
import { TodoStore, type Todo } from './todo.store';

/** A per-user todo list; each caller sees only their own items. */
@Controller('api/todolist')
@UseGuards(AzureAdBearerGuard)
export class TodoController {
  constructor(private readonly store: TodoStore) {}

  @Get()
  list(@Req() request: AuthenticatedRequest): Todo[] {
    return this.store.list(request.user.oid);
  }

  @Get(':id')
  get(@Req() request: AuthenticatedRequest, @Param('id', ParseIntPipe) id: number): Todo {
    return this.store.get(request.user.oid, id) ?? notFound(id);
  }

  @Post()
  create(@Req() request: AuthenticatedRequest, @Body() body: { title?: unknown }): Todo {
    return this.store.add(request.user.oid, String(body?.title ?? ''));
  }

  @Put(':id')
  update(
    @Req() request: AuthenticatedRequest,
    @Param('id', ParseIntPipe) id: number,
    @Body() body: { title?: unknown; done?: unknown },
  ): Todo {
    return (
      this.store.update(request.user.oid, id, {
        title: body?.title === undefined ? undefined : String(body.title),
        done: body?.done === undefined ? undefined : Boolean(body.done),
      }) ?? notFound(id)
    );
  }

  @Delete(':id')
  @HttpCode(204)
  remove(@Req() request: AuthenticatedRequest, @Param('id', ParseIntPipe) id: number): void {
    if (!this.store.remove(request.user.oid, id)) notFound(id);
  }
}

function notFound(id: number): never {
  throw new NotFoundException(`todo ${id} not found`);
}
