/**
 * When to poll a feed next, and when to tell its moderators that it fails: a pure function of
 * the feed's state and the outcome of the poll that just ended, so the poller (and a restart,
 * which reads the state back from the database) never has to remember anything else.
 *
 * - A poll that worked (a 304 "not modified" included) schedules the next one `intervalMs`
 *   later (`FEED_POLL_SECONDS`), give or take `jitter` of it, so that feeds added together do not
 *   stay in step and hit their hosts at the same second forever (MonitoRSS and FreshRSS spread
 *   their refreshes the same way).
 * - A poll that failed backs off exponentially: the interval, then twice, four times... up to
 *   `maxBackoffMs`, and never sooner than the host's `Retry-After`. A feed that is down is asked
 *   less and less often, not every ten minutes for months.
 * - After `failingAfter` failures in a row the feed is failing: its moderators are told once,
 *   with the reason, and told again only when it works again.
 */

/** How feeds are polled; the defaults are the (every 10 minutes, give or take 10 %). */
export interface PollParams {
  /** Between two polls of a feed that works (`FEED_POLL_SECONDS` x 1000). */
  readonly intervalMs: number;
  /** Share of the interval the next poll moves by at random, either way (0..0.5). */
  readonly jitter: number;
  /** The longest wait after failures (the backoff doubles up to it). */
  readonly maxBackoffMs: number;
  /** Failures in a row after which the feed is failing and its moderators are told. */
  readonly failingAfter: number;
}

export const DEFAULT_POLL_PARAMS = {
  intervalMs: 600_000,
  jitter: 0.1,
  maxBackoffMs: 6 * 3_600_000,
  failingAfter: 5,
} as const satisfies Required<PollParams>;

/** What the database keeps of a feed's polling, between polls and across restarts. */
export interface FeedPollState {
  /** Failed polls in a row (0 after a poll that worked). */
  readonly failures: number;
  /** When the feed became failing (epoch ms); absent while it works. */
  readonly failingSince?: number;
  /** The reason of the last failure, one line (shown to moderators). */
  readonly lastError?: string;
}

/** A new feed: no failure yet. */
export const NEW_FEED: FeedPollState = { failures: 0 };

/** How a poll ended. */
export type PollOutcome =
  | { readonly ok: true }
  | {
      readonly ok: false;
      /** One line a moderator can act on ("fetch: https://…: timed out after 15 s"). */
      readonly reason: string;
      /** The host's `Retry-After`, when it sent one (429, 503). */
      readonly retryAfterMs?: number;
    };

/** What to tell a feed's moderators after a poll, if anything. */
export type FeedNotice =
  | { readonly kind: "failing"; readonly reason: string; readonly failures: number }
  | { readonly kind: "recovered"; readonly failingSince: number };

/** The feed's state after a poll, when to poll it next, and what to tell its moderators. */
export interface PollDecision {
  readonly state: FeedPollState;
  /** Epoch ms. */
  readonly nextPollAt: number;
  readonly notice?: FeedNotice;
}

/**
 * Decides what follows a poll.
 * @param state - the feed's state before the poll
 * @param outcome - how the poll ended
 * @param now - when it ended (epoch ms)
 * @param params - overrides of {@link DEFAULT_POLL_PARAMS}
 * @param random - a number in [0, 1) for the jitter (default `Math.random`; tests pass their own)
 */
export function afterPoll(
  state: FeedPollState,
  outcome: PollOutcome,
  now: number,
  params: Partial<PollParams> = {},
  random: () => number = Math.random,
): PollDecision {
  const p = { ...DEFAULT_POLL_PARAMS, ...params };
  const jittered = (ms: number) => ms * (1 + p.jitter * (2 * random() - 1));
  if (outcome.ok) {
    const next = { failures: 0 };
    const nextPollAt = now + jittered(p.intervalMs);
    if (state.failingSince === undefined) return { state: next, nextPollAt };
    return {
      state: next,
      nextPollAt,
      notice: { kind: "recovered", failingSince: state.failingSince },
    };
  }
  const failures = state.failures + 1;
  const backoff = Math.min(p.maxBackoffMs, p.intervalMs * 2 ** (failures - 1));
  const nextPollAt = now + Math.max(jittered(backoff), outcome.retryAfterMs ?? 0);
  const becomesFailing = state.failingSince === undefined && failures >= p.failingAfter;
  const failingSince = becomesFailing ? now : state.failingSince;
  const next: FeedPollState = {
    failures,
    lastError: outcome.reason,
    ...(failingSince === undefined ? {} : { failingSince }),
  };
  if (!becomesFailing) return { state: next, nextPollAt };
  return {
    state: next,
    nextPollAt,
    notice: { kind: "failing", reason: outcome.reason, failures },
  };
}
