/** A clock for the feed poller that the test moves, with timers it fires (see `PollerClock`). */
import type { PollerClock } from "../../src/feeds/FeedPoller.js";

/** A clock the test moves, with timers it fires. */
export class ManualClock implements PollerClock {
  time = Date.UTC(2026, 2, 1);
  readonly timers = new Map<number, { at: number; run: () => void }>();
  #next = 0;
  now = () => this.time;
  setTimer(run: () => void, ms: number): unknown {
    const id = this.#next++;
    this.timers.set(id, { at: this.time + ms, run });
    return id;
  }
  clear(handle: unknown): void {
    this.timers.delete(handle as number);
  }
  /** Runs the timers due at the current time. */
  fireDue(): void {
    for (const [id, timer] of [...this.timers]) {
      if (timer.at > this.time) continue;
      this.timers.delete(id);
      timer.run();
    }
  }
}
