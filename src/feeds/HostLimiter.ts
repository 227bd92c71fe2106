/**
 * At most a few requests at a time per host, and a few in all: a server that follows thirty
 * feeds of one newspaper must not open thirty connections to it at the top of every interval.
 * Tasks wait their turn in arrival order, per host.
 */

/** How many requests may run at once. */
export interface HostLimits {
  /** To one host. */
  readonly perHost: number;
  /** In all. */
  readonly total: number;
}

export const DEFAULT_HOST_LIMITS = { perHost: 2, total: 6 } as const satisfies Required<HostLimits>;

interface Waiting {
  readonly host: string;
  readonly start: () => void;
}

export class HostLimiter {
  readonly #limits: HostLimits;
  readonly #running = new Map<string, number>();
  #total = 0;
  /** In arrival order; a task starts when both its host and the total have room. */
  readonly #queue: Waiting[] = [];

  constructor(limits: Partial<HostLimits> = {}) {
    const merged = { ...DEFAULT_HOST_LIMITS, ...limits };
    if (!(merged.perHost >= 1 && merged.total >= 1)) {
      throw new RangeError(`feeds: host limits must be at least 1 (got ${JSON.stringify(merged)})`);
    }
    this.#limits = merged;
  }

  /** Requests running now, to `host` or (without it) in all. */
  running(host?: string): number {
    return host === undefined ? this.#total : (this.#running.get(host) ?? 0);
  }

  /** Tasks waiting for room. */
  get waiting(): number {
    return this.#queue.length;
  }

  /**
   * Runs `task` once `host` and the total have room; resolves or rejects as the task does.
   * @param host - the host the task requests (lower-case, e.g. `new URL(url).host`)
   */
  run<T>(host: string, task: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const start = () => {
        this.#total++;
        this.#running.set(host, (this.#running.get(host) ?? 0) + 1);
        // The slot is freed (and the next task started) before the caller hears the result.
        const release = () => {
          this.#total--;
          const left = (this.#running.get(host) ?? 1) - 1;
          if (left === 0) this.#running.delete(host);
          else this.#running.set(host, left);
          this.#startWaiting();
        };
        let running: Promise<T>;
        try {
          running = task();
        } catch (error) {
          running = Promise.reject(error);
        }
        running.then(
          (value) => {
            release();
            resolve(value);
          },
          (error: unknown) => {
            release();
            reject(error);
          },
        );
      };
      this.#queue.push({ host, start });
      this.#startWaiting();
    });
  }

  /** Starts every waiting task that now has room, oldest first. */
  #startWaiting(): void {
    for (let i = 0; i < this.#queue.length && this.#total < this.#limits.total; ) {
      const waiting = this.#queue[i] as Waiting;
      if ((this.#running.get(waiting.host) ?? 0) < this.#limits.perHost) {
        this.#queue.splice(i, 1);
        waiting.start();
      } else i++;
    }
  }
}
