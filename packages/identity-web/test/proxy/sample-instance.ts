import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** The shipped sample web app, as `npm run build` leaves it. */
export const SAMPLE_MAIN = join(__dirname, '../../../../apps/webapp/dist/main.js');

/** How much of an instance's output is kept for failure messages. */
const OUTPUT_LIMIT = 64 * 1024;

/** Processes still running: killed if the test process exits without `kill()` (a timed-out hook). */
const running = new Set<ChildProcess>();
process.once('exit', () => running.forEach((child) => child.kill('SIGKILL')));

/** A free TCP port on 127.0.0.1 (listened on, then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The status of GET http://127.0.0.1:`port`/, or undefined when nothing answers. */
function probe(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/', timeout: 1_000 }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolve(undefined));
    req.end();
  });
}

/**
 * One instance of the sample web app in its own OS process (`node apps/webapp/dist/main.js`),
 * configured through environment variables as a deployment would be. Its output is kept for
 * failure messages.
 */
export class SampleInstance {
  private output = '';
  private readonly exited: Promise<void>;
  private readonly child: ChildProcess;

  private constructor(
    readonly id: string,
    readonly port: number,
    env: Record<string, string>,
  ) {
    this.child = spawn(process.execPath, [SAMPLE_MAIN], {
      // NO_COLOR: Nest's log lines stay readable in a failure message.
      env: { ...process.env, NO_COLOR: '1', ...env, PORT: String(port), INSTANCE_ID: id },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString('utf8')).slice(-OUTPUT_LIMIT);
    };
    this.child.stdout!.on('data', keep);
    this.child.stderr!.on('data', keep);
    running.add(this.child);
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => {
        running.delete(this.child);
        keep(Buffer.from(`[exited: ${signal ?? `code ${code}`}]\n`));
        resolve();
      }),
    );
  }

  /** Starts the instance and resolves once it answers HTTP on its port. */
  static async start(id: string, port: number, env: Record<string, string>): Promise<SampleInstance> {
    if (!existsSync(SAMPLE_MAIN)) throw new Error(`${SAMPLE_MAIN} is missing: run npm run build first.`);
    const instance = new SampleInstance(id, port, env);
    await instance.ready();
    return instance;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** What the process wrote to stdout and stderr (the last 64 KB). */
  get log(): string {
    return this.output;
  }

  private async ready(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && this.running) {
      if ((await probe(this.port)) === 200) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await this.kill('SIGKILL');
    throw new Error(`instance ${this.id} did not answer on port ${this.port}:\n${this.output}`);
  }

  /** Sends `signal` (SIGKILL: the process dies on the spot, as in a crash) and waits for the exit. */
  async kill(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (this.running) this.child.kill(signal);
    await this.exited;
  }
}
