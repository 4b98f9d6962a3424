/**
 * A keep-alive HTTP load from a child process, so the server's CPU can be measured in this one:
 * rounds of `count` GETs of one URL with one Cookie header, `concurrency` in flight.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/** One round: the server process's CPU per request (user + system) and requests per second. */
export interface Round {
  cpuUs: number;
  rps: number;
}

/** The load generator: `run` sends `count` requests and resolves when all answered 200. */
export interface HttpLoad {
  run(url: string, count: number, cookie: string): Promise<void>;
  stop(): void;
}

/** Starts the load generator process (`<url> <count> <cookie>` on its stdin, `done` on its stdout). */
export function startLoad(concurrency: number): HttpLoad {
  const source = `
    const http = require('node:http');
    const agent = new http.Agent({ keepAlive: true, maxSockets: ${concurrency} });
    const get = (url, cookie) => new Promise((resolve, reject) => http.get(url, { agent, headers: { cookie } }, (res) => {
      if (res.statusCode !== 200) { reject(new Error(url + ' answered ' + res.statusCode)); return; }
      res.resume(); res.on('end', resolve);
    }).on('error', reject));
    require('node:readline').createInterface({ input: process.stdin }).on('line', async (line) => {
      const [url, count, cookie] = line.split(' ');
      let next = 0;
      try {
        await Promise.all(Array.from({ length: ${concurrency} }, async () => { while (next++ < Number(count)) await get(url, cookie); }));
        process.stdout.write('done\\n');
      } catch (err) { process.stdout.write('failed ' + err.message + '\\n'); }
    });`;
  const child = spawn(process.execPath, ['-e', source], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  return {
    async run(url, count, cookie) {
      child.stdin!.write(`${url} ${count} ${cookie}\n`);
      const { value } = await lines.next();
      if (value !== 'done') throw new Error(String(value));
    },
    stop: () => child.kill(),
  };
}

/** Runs one round of `count` requests and measures this process's CPU for it. */
export async function round(load: HttpLoad, url: string, cookie: string, count: number): Promise<Round> {
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  await load.run(url, count, cookie);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const used = process.cpuUsage(cpu);
  return { cpuUs: (used.user + used.system) / count, rps: count / seconds };
}

/** The middle value (upper middle for an even count). */
export const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** The `name=value` pairs of a response's Set-Cookie headers, as a Cookie header (no spaces). */
export function cookieOf(response: globalThis.Response): string {
  return response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join(';');
}

/**
 * Interleaved rounds of every variant (the order reversed every other round, after one warm-up
 * round each), so drift on a shared machine favours none.
 */
export async function interleavedRounds(
  load: HttpLoad,
  variants: Record<string, { url: string; cookie: string }>,
  rounds: number,
  count: number,
): Promise<Record<string, Round[]>> {
  const names = Object.keys(variants);
  for (const name of names) await round(load, variants[name].url, variants[name].cookie, count);
  const results: Record<string, Round[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = 0; r < rounds; r++) {
    for (const name of r % 2 === 0 ? names : [...names].reverse())
      results[name].push(await round(load, variants[name].url, variants[name].cookie, count));
  }
  return results;
}

/** One table row per variant: CPU per request, req/s, and the paired ratios to the first variant. */
export function roundsTable(results: Record<string, Round[]>): Array<Record<string, string>> {
  const names = Object.keys(results);
  const base = results[names[0]];
  return names.map((name) => ({
    variant: name,
    'CPU µs/request': median(results[name].map((x) => x.cpuUs)).toFixed(1),
    'paired CPU ratio': `${median(results[name].map((x, i) => x.cpuUs / base[i].cpuUs)).toFixed(3)}×`,
    'median req/s': String(Math.round(median(results[name].map((x) => x.rps)))),
    'min–max req/s': `${Math.round(Math.min(...results[name].map((x) => x.rps)))}–${Math.round(Math.max(...results[name].map((x) => x.rps)))}`,
    'paired req/s ratio': `${median(results[name].map((x, i) => x.rps / base[i].rps)).toFixed(3)}×`,
  }));
}
