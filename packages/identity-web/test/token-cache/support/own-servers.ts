import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A Redis or PostgreSQL server of one test only, on a free loopback port, that the test may stop
 * and start again (keeping its data, as a real one would): the shared servers are never touched.
 */
export interface OwnServer {
  /** `tokenCache` options pointing at it. */
  readonly tokenCache: Record<string, unknown>;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Stops it (if running) and deletes its files. */
  dispose(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (listened on, then released). */
export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A redis-server with an append-only file, so a restart keeps what it held. */
export async function ownRedis(): Promise<OwnServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'iw-redis-'));
  let child: ChildProcess | undefined;
  const server: OwnServer = {
    tokenCache: { redis: { connectionString: `redis://127.0.0.1:${port}` } },
    start: () =>
      new Promise((resolve, reject) => {
        const started = spawn(
          'redis-server',
          ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', ''],
          { stdio: ['ignore', 'pipe', 'inherit'] },
        );
        child = started;
        started.stdout!.on('data', (chunk: Buffer) => {
          if (chunk.toString().includes('Ready to accept connections')) resolve();
        });
        started.once('exit', (code) => reject(new Error(`redis-server exited with ${code}`)));
      }),
    stop: () =>
      new Promise((resolve) => {
        if (!child || child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
    dispose: async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}

/** A PostgreSQL cluster of its own (initdb in a temporary directory, trust authentication). */
export async function ownPostgres(): Promise<OwnServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'iw-pg-'));
  const version = readdirSync('/usr/lib/postgresql').sort().pop()!;
  const bin = (name: string) => join('/usr/lib/postgresql', version, 'bin', name);
  // PostgreSQL refuses to run as root: run its tools as the postgres user then.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const id = async (flag: string) => Number((await run('id', [flag, 'postgres'], {})).stdout.trim());
    chownSync(dir, await id('-u'), await id('-g'));
  }
  const pg = (command: string, args: string[]): Promise<unknown> =>
    asRoot
      ? run('su', ['postgres', '-s', '/bin/sh', '-c', [command, ...args].map((a) => `'${a}'`).join(' ')], {})
      : run(command, args, {});
  const data = join(dir, 'data');
  await pg(bin('initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres']);
  let running = false;
  const server: OwnServer = {
    tokenCache: { postgres: { connectionString: `postgresql://postgres@127.0.0.1:${port}/postgres` } },
    start: async () => {
      const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`;
      await pg(bin('pg_ctl'), ['-D', data, '-o', options, '-l', join(dir, 'log'), '-w', 'start']);
      running = true;
    },
    stop: async () => {
      if (!running) return;
      await pg(bin('pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop']);
      running = false;
    },
    dispose: async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}
