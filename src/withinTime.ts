/**
 * A promise bounded in time, for the answers Discord drops when late (an autocomplete has 3 s and
 * cannot be deferred): what is not there within the time is given up, not awaited.
 */

/** What {@link withinTime} rejects with when the time is up. */
export class TimeoutError extends Error {
  override readonly name = "TimeoutError";
  constructor(readonly ms: number) {
    super(`no answer within ${ms} ms`);
  }
}

/**
 * `promise`, or a rejection with a {@link TimeoutError} after `ms`; the timer does not keep the
 * process alive. The promise itself goes on (its outcome is ignored once the time is up).
 */
export function withinTime<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(ms)), ms);
    timer.unref();
  });
  promise.catch(() => undefined);
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
