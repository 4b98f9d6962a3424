import { Injectable } from '@nestjs/common';

export interface Todo {
  id: number;
  title: string;
  done: boolean;
}

/** In-memory todo lists, one per owner (the caller's object id). */
@Injectable()
export class TodoStore {
  private readonly lists = new Map<string, Todo[]>();
  private nextId = 1;

  list(owner: string): Todo[] {
    return [...(this.lists.get(owner) ?? [])];
  }

  get(owner: string, id: number): Todo | undefined {
    return this.lists.get(owner)?.find((todo) => todo.id === id);
  }

  add(owner: string, title: string): Todo {
    const todo = { id: this.nextId++, title, done: false };
    this.lists.set(owner, [...(this.lists.get(owner) ?? []), todo]);
    return todo;
  }

  update(owner: string, id: number, change: Partial<Omit<Todo, 'id'>>): Todo | undefined {
    const todo = this.get(owner, id);
    if (!todo) return undefined;
    if (change.title !== undefined) todo.title = change.title;
    if (change.done !== undefined) todo.done = change.done;
    return todo;
  }

  remove(owner: string, id: number): boolean {
    const list = this.lists.get(owner) ?? [];
    const kept = list.filter((todo) => todo.id !== id);
    this.lists.set(owner, kept);
    return kept.length !== list.length;
  }
}
