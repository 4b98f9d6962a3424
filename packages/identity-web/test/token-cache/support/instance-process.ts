import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { SignedInUser } from '../../../src/token-acquisition/signed-in-user';

/** An instance's answer to a token request. */
type Reply = { accessToken?: string; error?: string };

/** What the test sees of an instance running in another process. */
export interface InstanceProcess {
  /** An access token for `user`, or the error code it got. */
  token(user: SignedInUser, scopes: string[]): Promise<{ accessToken?: string; error?: string }>;
  /** Invalidations that reached the instance: partition and `Date.now()` there. */
  readonly invalidations: Array<{ partition: string | null; at: number }>;
  stop(): Promise<void>;
}

/** Starts {@link ./instance.process.ts} with `options` (as `normalizeOptions` takes them). */
export async function startInstanceProcess(options: object): Promise<InstanceProcess> {
  const child: ChildProcess = fork(join(__dirname, 'instance.process.ts'), [], {
    env: { ...process.env, IW_INSTANCE_OPTIONS: JSON.stringify(options), TS_NODE_SWC: 'true' },
    execArgv: ['-r', 'ts-node/register/transpile-only'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<number, (reply: { accessToken?: string; error?: string }) => void>();
  const invalidations: Array<{ partition: string | null; at: number }> = [];
  let next = 0;
  const ready = new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`instance process exited with ${code}`)));
    child.on(
      'message',
      (message: Reply & { event?: string; id?: number; partition?: string | null; at?: number }) => {
        if (message.event === 'ready') resolve();
        else if (message.event === 'invalidated')
          invalidations.push({ partition: message.partition!, at: message.at! });
        else if (message.id !== undefined) {
          pending.get(message.id)?.(message);
          pending.delete(message.id);
        }
      },
    );
  });
  await ready;
  return {
    invalidations,
    token: (user, scopes) =>
      new Promise((resolve) => {
        const id = next++;
        pending.set(id, resolve);
        child.send({ id, user, scopes });
      }),
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.send({ id: -1, exit: true });
      }),
  };
}
