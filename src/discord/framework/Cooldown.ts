/**
 * Per-user rate limit on questions (`/ask`, questions in messages, and `/summary`, which costs
 * more): a sliding window of `questions` per `perSeconds`. A sliding log rather than a fixed
 * bucket, so a user can never get twice the limit by asking at the end of one window and the
 * start of the next.
 * Pure: time comes from the injected clock, so tests step it instead of sleeping.
 */

/** The limit: at most `questions` per `perSeconds` seconds, per user. */
export interface CooldownLimit {
  readonly questions: number;
  readonly perSeconds: number;
}

/** The outcome of {@link Cooldown.take}. */
export type CooldownResult =
  | { readonly allowed: true }
  | {
      readonly allowed: false;
      /** When the oldest question of the window leaves it (epoch milliseconds). */
      readonly retryAt: number;
      /** True for the first refusal in this window, so a surface can say so once, not each time. */
      readonly firstRefusal: boolean;
    };

/** Users tracked before stale entries are swept (so idle users do not pile up forever). */
const SWEEP_AT = 10_000;

interface UserWindow {
  /** Times of the questions still in the window, oldest first. */
  times: number[];
  /** Until when the user has been told they are limited (epoch ms), or 0. */
  toldUntil: number;
}

export class Cooldown {
  readonly limit: CooldownLimit;
  readonly #windowMs: number;
  readonly #now: () => number;
  readonly #users = new Map<string, UserWindow>();

  /**
   * @param limit - `questions` (at least 1) per `perSeconds` (more than 0)
   * @param now - the clock, epoch milliseconds (default `Date.now`)
   */
  constructor(limit: CooldownLimit, now: () => number = Date.now) {
    if (!Number.isInteger(limit.questions) || limit.questions < 1) {
      throw new Error(`cooldown: questions must be a whole number ≥ 1, got ${limit.questions}`);
    }
    if (!(limit.perSeconds > 0)) {
      throw new Error(`cooldown: perSeconds must be more than 0, got ${limit.perSeconds}`);
    }
    this.limit = limit;
    this.#windowMs = limit.perSeconds * 1000;
    this.#now = now;
  }

  /**
   * Counts one question for `userId` when the window has room; otherwise refuses it, without
   * counting it (a refused question does not push the retry time further away).
   */
  take(userId: string): CooldownResult {
    const now = this.#now();
    const user = this.#users.get(userId) ?? { times: [], toldUntil: 0 };
    user.times = user.times.filter((time) => time > now - this.#windowMs);
    const oldest = user.times[0];
    if (user.times.length >= this.limit.questions && oldest !== undefined) {
      const retryAt = oldest + this.#windowMs;
      const firstRefusal = user.toldUntil <= now;
      if (firstRefusal) user.toldUntil = retryAt;
      this.#users.set(userId, user);
      return { allowed: false, retryAt, firstRefusal };
    }
    user.times.push(now);
    this.#users.set(userId, user);
    if (this.#users.size > SWEEP_AT) this.#sweep(now);
    return { allowed: true };
  }

  /** How many users have questions in their window (for tests and metrics). */
  get trackedUsers(): number {
    return this.#users.size;
  }

  #sweep(now: number): void {
    for (const [id, user] of this.#users) {
      const last = user.times[user.times.length - 1] ?? 0;
      if (last <= now - this.#windowMs && user.toldUntil <= now) this.#users.delete(id);
    }
  }
}
