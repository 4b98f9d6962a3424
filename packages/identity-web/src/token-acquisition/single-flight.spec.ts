import { SingleFlight } from './single-flight';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('SingleFlight', () => {
  it('runs one call for concurrent callers of the same key', async () => {
    const flights = new SingleFlight<number>();
    const gate = deferred<number>();
    const start = jest.fn(() => gate.promise);
    const calls = Array.from({ length: 1000 }, () => flights.run('k', 'p', start));
    gate.resolve(42);
    expect(await Promise.all(calls)).toEqual(Array(1000).fill(42));
    expect(start).toHaveBeenCalledTimes(1);
    expect(flights.size).toBe(0);
  });

  it('runs separate calls for separate keys and starts afresh once settled', async () => {
    const flights = new SingleFlight<string>();
    const start = jest.fn(async (flight: { key: string }) => flight.key);
    expect(await Promise.all([flights.run('a', 'p', start), flights.run('b', 'p', start)])).toEqual([
      'a',
      'b',
    ]);
    await flights.run('a', 'p', start);
    expect(start).toHaveBeenCalledTimes(3);
  });

  it('shares a failure with every caller, then forgets it', async () => {
    const flights = new SingleFlight<number>();
    const gate = deferred<number>();
    const calls = [flights.run('k', 'p', () => gate.promise), flights.run('k', 'p', () => gate.promise)];
    gate.reject(new Error('down'));
    await expect(Promise.all(calls)).rejects.toThrow('down');
    expect(flights.size).toBe(0);
    await expect(flights.run('k', 'p', async () => 1)).resolves.toBe(1);
  });

  it('marks the calls of a removed partition as discarded and lets new callers start afresh', async () => {
    const flights = new SingleFlight<number>();
    const gate = deferred<number>();
    let seen: { discarded: boolean } | undefined;
    const first = flights.run('k', 'user-1', (flight) => {
      seen = flight;
      return gate.promise;
    });
    await Promise.resolve();
    flights.discardPartition('user-1');
    expect(seen?.discarded).toBe(true);
    const second = flights.run('k', 'user-1', async () => 2);
    gate.resolve(1);
    expect(await first).toBe(1);
    expect(await second).toBe(2);
  });
});
