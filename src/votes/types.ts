/**
 * The question log and the votes on its answers: what a server asked, what it got, and what its
 * members thought of it. No member id is stored: a vote names its member only as an HMAC of the
 * id under the server's own secret, which is all that one vote per member needs.
 */
import type { Confidence } from "../answer/types.js";

/**
 * How a question was answered: from the articles with high or low confidence, not at all, or
 * led by a moderator's pinned answer.
 */
export type AskedOutcome = "high" | "low" | "abstained" | "pinned";

/** A citation as the reply showed it: enough to name the passage, not the passage itself. */
export interface ShownCitation {
  readonly articleId: string;
  readonly title: string;
  /** 1-based. */
  readonly paragraph: number;
}

/** A question asked in a server, as the log records it once its reply is sent. */
export interface LoggedQuestion {
  readonly guildId: string;
  readonly channelId: string;
  /** The reply's message, when there is one: what the vote buttons are on. */
  readonly messageId?: string;
  /** As the asker wrote it (cut to `MAX_QUESTION_CHARS` when stored). */
  readonly question: string;
  readonly outcome: AskedOutcome;
  readonly confidence: Confidence;
  /** What the reply showed, pinned answer first. */
  readonly citations: readonly ShownCitation[];
  /** The pinned answer that led the reply (outcome "pinned"). */
  readonly pinId?: number;
  /** Epoch milliseconds. */
  readonly at: number;
}

/** A member's vote: 👍 or 👎. */
export type Vote = "up" | "down";

/** What was wrong with an answer, as a 👎 voter may say. */
export const VOTE_REASONS = ["wrong-passage", "outdated", "not-in-articles", "other"] as const;
export type VoteReason = (typeof VOTE_REASONS)[number];

/** The votes on one answer. */
export interface VoteTally {
  readonly up: number;
  readonly down: number;
}

/** What a click on 👍 or 👎 did. */
export type CastVote =
  /** No logged question has that message (pruned, or its record was lost). */
  | { readonly kind: "unknown" }
  | {
      readonly kind: "cast";
      /** The logged question's id (what a 👎 reason refers to). */
      readonly askedId: number;
      /** The member's vote now: undefined when the click took it back. */
      readonly vote: Vote | undefined;
      /** The answer's votes, this one included. */
      readonly tally: VoteTally;
    };

/** A logged question with its votes, as `/insights` and its CSV read them. */
export interface AskedQuestion extends LoggedQuestion {
  readonly id: number;
  /** The question's terms in order, as unanswered questions are counted by (questionKey). */
  readonly questionKey: string;
  readonly votes: VoteTally;
  /** The 👎 reasons given, counted (a reason missing: none was given). */
  readonly reasons: Readonly<Partial<Record<VoteReason, number>>>;
}

/** A period of the question log. */
export interface QuestionPeriod {
  /** From this time (epoch ms), inclusive. */
  readonly sinceMs: number;
  /** Before this time (epoch ms), exclusive; default: no end. */
  readonly untilMs?: number;
}

/**
 * How long a logged question (and the votes on it) is kept: 90 days, as unanswered questions
 * are, so `/insights` can look back that far while the tables stay bounded.
 */
export const QUESTION_RETENTION_MS = 90 * 24 * 60 * 60 * 1000;

/**
 * When `/pins list` flags a pinned answer: at least this many 👎 on it (its own message and the
 * answers it led together), and more 👎 than 👍. Two, so that one member cannot flag a pin alone.
 */
export const PIN_FLAG_MIN_DOWN = 2;

/** Whether a pin with these votes is flagged in `/pins list` (see {@link PIN_FLAG_MIN_DOWN}). */
export function isPinFlagged(tally: VoteTally): boolean {
  return tally.down >= PIN_FLAG_MIN_DOWN && tally.down > tally.up;
}
