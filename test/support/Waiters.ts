/**
 * Event-driven waiting for the fake Discord server: a test awaits a condition on the fake's
 * state, which is checked again whenever that state changes (a REST request answered, a
 * gateway payload received). No polling, one timer per wait, cleared when it settles.
 */

/** How long a wait lasts unless a test says otherwise. */
export const DEFAULT_TIMEOUT_MS = 5000;

interface Waiter {
  check(): boolean;
  fail(error: Error): void;
}

export class Waiters {
  private readonly pending = new Set<Waiter>();
  private closed = false;

  /** @param describe - state to append to timeout errors (e.g. the last requests) */
  constructor(private readonly describe: () => string) {}

  /**
   * Resolves with the first value of `check` that is not undefined, null or false.
   * @param what - for the timeout error: "no <what> within <timeoutMs> ms"
   */
  waitFor<T>(
    check: () => T | undefined | null | false,
    timeoutMs: number,
    what: string,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.closed) {
        reject(new Error(`fakeDiscord: stopped, cannot wait for ${what}`));
        return;
      }
      let timer: NodeJS.Timeout | undefined;
      const settle = () => {
        clearTimeout(timer);
        this.pending.delete(waiter);
      };
      const waiter: Waiter = {
        check: () => {
          let value: T | undefined | null | false;
          try {
            value = check();
          } catch (cause) {
            waiter.fail(cause instanceof Error ? cause : new Error(String(cause)));
            return true;
          }
          if (value === undefined || value === null || value === false) return false;
          settle();
          resolve(value);
          return true;
        },
        fail: (cause) => {
          settle();
          reject(cause);
        },
      };
      if (waiter.check()) return;
      this.pending.add(waiter);
      timer = setTimeout(() => {
        waiter.fail(
          new Error(`fakeDiscord: no ${what} within ${timeoutMs} ms.\n${this.describe()}`),
        );
      }, timeoutMs);
    });
  }

  /** Checks every pending wait again; call after each change of state. */
  notify(): void {
    for (const waiter of [...this.pending]) waiter.check();
  }

  /** Rejects every pending wait and refuses new ones. */
  close(reason: string): void {
    this.closed = true;
    for (const waiter of [...this.pending]) waiter.fail(new Error(reason));
  }
}
