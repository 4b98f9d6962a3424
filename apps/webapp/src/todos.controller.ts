import { Body, Controller, Get, Header, Post, Redirect } from '@nestjs/common';
import { AuthorizeForScopes, CurrentUser, DownstreamApiService, type SignedInUser } from 'nest-identity-web';
import { escapeHtml, page } from './html';

interface Todo {
  id: number;
  title: string;
  done: boolean;
}

/** The user's todo list, kept by the todo API and called on the user's behalf. */
@Controller('todos')
@AuthorizeForScopes('DownstreamApis:TodoList:Scopes')
export class TodosController {
  constructor(private readonly api: DownstreamApiService) {}

  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  async list(@CurrentUser() user: SignedInUser): Promise<string> {
    const todos = await this.api.getForUser<Todo[]>('TodoList', { relativePath: 'api/todolist' });
    const items = todos.map((t) => `<li class="todo">${escapeHtml(t.title)}</li>`).join('\n');
    return page(
      'Todo list',
      `<ul id="todos">${items}</ul>
<form method="post" action="/todos"><input name="title" required><button type="submit">Add</button></form>`,
      user.name ?? user.username,
    );
  }

  @Post()
  @Redirect('/todos', 303)
  async add(@Body() body: { title?: string }): Promise<void> {
    await this.api.postForUser('TodoList', { title: String(body?.title ?? '') }, (o) => {
      o.relativePath = 'api/todolist';
    });
  }
}
