import { describe, expect, it } from "vitest";
import {
  afterPoll,
  DEFAULT_POLL_PARAMS,
  type FeedPollState,
  NEW_FEED,
  type PollOutcome,
} from "../../src/feeds/pollSchedule.js";

const MINUTE = 60_000;
const params = {
  intervalMs: 10 * MINUTE,
  jitter: 0.1,
  maxBackoffMs: 6 * 60 * MINUTE,
  failingAfter: 3,
};
const FAILED: PollOutcome = { ok: false, reason: "fetch: https://news.example/feed: HTTP 500" };
const OK: PollOutcome = { ok: true };
/** No jitter: random() = 0.5 moves the next poll by 0. */
const middle = () => 0.5;

/** Runs `outcomes` in turn from a new feed, `now` moving to each next poll. */
function run(outcomes: readonly PollOutcome[], start = 0) {
  let state: FeedPollState = NEW_FEED;
  let now = start;
  return outcomes.map((outcome) => {
    const decision = afterPoll(state, outcome, now, params, middle);
    state = decision.state;
    const at = now;
    now = decision.nextPollAt;
    return { ...decision, at, waited: decision.nextPollAt - at };
  });
}

describe("afterPoll", () => {
  it("polls a feed that works every interval", () => {
    const decisions = run([OK, OK, OK]);
    expect(decisions.map((d) => d.waited)).toEqual([10 * MINUTE, 10 * MINUTE, 10 * MINUTE]);
    expect(decisions.every((d) => d.notice === undefined && d.state.failures === 0)).toBe(true);
  });

  it("moves the next poll by at most the jitter, either way", () => {
    const early = afterPoll(NEW_FEED, OK, 0, params, () => 0);
    const late = afterPoll(NEW_FEED, OK, 0, params, () => 0.999_999);
    expect(early.nextPollAt).toBe(9 * MINUTE);
    expect(late.nextPollAt).toBeGreaterThan(10.99 * MINUTE);
    expect(late.nextPollAt).toBeLessThanOrEqual(11 * MINUTE);
  });

  it("backs off a failing feed exponentially, up to the longest wait", () => {
    const decisions = run(Array.from({ length: 8 }, () => FAILED));
    expect(decisions.map((d) => d.waited / MINUTE)).toEqual([10, 20, 40, 80, 160, 320, 360, 360]);
    expect(decisions.map((d) => d.state.failures)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(decisions[0]?.state.lastError).toBe(FAILED.ok ? undefined : FAILED.reason);
  });

  it("waits at least as long as the host's Retry-After", () => {
    const retryAfter = { ...FAILED, retryAfterMs: 90 * MINUTE } as PollOutcome;
    const decision = afterPoll(NEW_FEED, retryAfter, 0, params, middle);
    expect(decision.nextPollAt).toBe(90 * MINUTE);
    // A short Retry-After does not make it poll sooner than its backoff.
    const short = afterPoll(
      NEW_FEED,
      { ...FAILED, retryAfterMs: 1 } as PollOutcome,
      0,
      params,
      middle,
    );
    expect(short.nextPollAt).toBe(10 * MINUTE);
  });

  it("tells the moderators once when the feed becomes failing, and once when it recovers", () => {
    const decisions = run([FAILED, FAILED, FAILED, FAILED, FAILED, OK, OK]);
    const notices = decisions.map((d) => d.notice?.kind);
    expect(notices).toEqual([
      undefined,
      undefined,
      "failing",
      undefined,
      undefined,
      "recovered",
      undefined,
    ]);
    const failing = decisions[2];
    expect(failing?.notice).toEqual({
      kind: "failing",
      reason: FAILED.ok ? "" : FAILED.reason,
      failures: 3,
    });
    expect(decisions[5]?.notice).toEqual({ kind: "recovered", failingSince: failing?.at });
    expect(decisions[5]?.state).toEqual({ failures: 0 });
  });

  it("starts from the state the database kept: a restart does not notify again", () => {
    const kept: FeedPollState = { failures: 7, failingSince: 1_000, lastError: "old" };
    const decision = afterPoll(kept, FAILED, 2_000, params, middle);
    expect(decision.notice).toBeUndefined();
    expect(decision.state).toEqual({
      failures: 8,
      failingSince: 1_000,
      lastError: FAILED.ok ? "" : FAILED.reason,
    });
  });

  it("has the issue's defaults: every 10 minutes", () => {
    expect(DEFAULT_POLL_PARAMS.intervalMs).toBe(600_000);
    expect(afterPoll(NEW_FEED, OK, 0, {}, middle).nextPollAt).toBe(600_000);
  });
});
