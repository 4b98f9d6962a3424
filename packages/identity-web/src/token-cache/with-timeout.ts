/** Settles as `promise` does, or rejects when it has not within `ms` milliseconds. */
export async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    // Rejected after the poll phase: when a busy event loop runs the timer late, an answer that
    // arrived meanwhile is read first and wins, instead of a time-out the store did not cause.
    timer = setTimeout(() => setImmediate(() => reject(new Error(`no answer within ${ms} ms`))), ms);
  });
  // The call may still fail after the time-out: nobody waits for it then.
  promise.catch(() => undefined);
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
