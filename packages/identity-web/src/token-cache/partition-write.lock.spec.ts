import { PartitionWriteLock } from './partition-write.lock';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('PartitionWriteLock', () => {
  it('runs operations on one key one after another, in call order', async () => {
    const lock = new PartitionWriteLock();
    const events: string[] = [];
    const op = (name: string) => async () => {
      events.push(`${name} start`);
      await tick();
      await tick();
      events.push(`${name} end`);
      return name;
    };
    const results = await Promise.all([
      lock.run('u1', op('a')),
      lock.run('u1', op('b')),
      lock.run('u1', op('c')),
    ]);
    expect(results).toEqual(['a', 'b', 'c']);
    expect(events).toEqual(['a start', 'a end', 'b start', 'b end', 'c start', 'c end']);
  });

  it('does not make different keys wait for each other', async () => {
    const lock = new PartitionWriteLock();
    const events: string[] = [];
    let releaseA!: () => void;
    const a = lock.run('u1', async () => {
      await new Promise<void>((resolve) => (releaseA = resolve));
      events.push('a');
    });
    await lock.run('u2', async () => {
      events.push('b');
    });
    releaseA();
    await a;
    expect(events).toEqual(['b', 'a']);
  });

  it('keeps going after a failed operation and holds no key once idle', async () => {
    const lock = new PartitionWriteLock();
    const failed = lock.run('u1', async () => {
      throw new Error('store down');
    });
    const next = lock.run('u1', async () => 'written');
    await expect(failed).rejects.toThrow('store down');
    await expect(next).resolves.toBe('written');
    expect(lock.size).toBe(0);
  });
});
