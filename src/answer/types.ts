import type { Confidence } from "./confidence.js";

export type { Confidence };

/**
 * The platform-neutral answer: what the CLI prints and what Discord will format.
 * Raw text and scores only; markdown, escaping and truncation belong to each surface's formatter.
 */
export interface Citation {
  readonly articleId: string;
  readonly title: string;
  readonly url?: string;
  /** The article's source ("BBC News"), when it names one. */
  readonly source?: string;
  /** The article's published date as written (ISO 8601 expected), when it has one. */
  readonly published?: string;
  /** 1-based paragraph number within the article. */
  readonly paragraph: number;
  /** Retrieval score (higher is better; comparable within one answer only). */
  readonly score: number;
  /** The one or two sentences of the paragraph that answer best, verbatim. */
  readonly excerpt: string;
  /** Character ranges of `excerpt` that matched the question's terms, for highlighting. */
  readonly highlights: readonly (readonly [start: number, end: number])[];
  /** The whole paragraph, verbatim. */
  readonly text: string;
}

export interface Answer {
  readonly question: string;
  /** False when no paragraph was relevant enough; then `citations` is empty. */
  readonly answered: boolean;
  /**
   * How sure the answer is: "high", "low" (plausible but uncertain: shown under "This may
   * answer it:"), or "none" exactly when `answered` is false.
   */
  readonly confidence: Confidence;
  readonly citations: readonly Citation[];
  /**
   * How a follow-up was read, when the question came with a conversation
   * ({@link AskOptions.conversation}): what was searched, and the article it stayed with.
   */
  readonly followUp?: FollowUpReading;
}

/** Where a cited paragraph is: enough to prefer its article again in a follow-up. */
export interface CitedParagraph {
  readonly articleId: string;
  /** 1-based, as in {@link Citation}. */
  readonly paragraph: number;
}

/**
 * One earlier turn of a conversation (a Discord thread or forum post): what was asked, what was
 * searched for it, and what the answer cited, best first. Stored by the surface, bounded there.
 */
export interface ConversationTurn {
  /** As the asker wrote it. */
  readonly question: string;
  /** The question as it was searched, once read in the light of the turns before it. */
  readonly searched: string;
  readonly citations: readonly CitedParagraph[];
  readonly answered: boolean;
}

/** How a question asked in a conversation was read. */
export interface FollowUpReading {
  /** The question as searched: the asker's, with what it leaves out taken from earlier turns. */
  readonly searched: string;
  /** True when the question changed subject and was searched afresh, without the conversation. */
  readonly fresh: boolean;
  /** The article the answer stayed with (one an earlier turn cited), if it did. */
  readonly stayedWith?: { readonly articleId: string; readonly title: string };
}

export interface AskOptions {
  /** How many citations at most (default 3). */
  readonly top?: number;
  /** Only search this article. */
  readonly articleId?: string;
  /**
   * The Discord server asking: its own articles are searched beside the global ones, another
   * server's never. Undefined (DMs, the command line): the global articles only.
   */
  readonly guildId?: string;
  /**
   * The earlier turns of the conversation the question is asked in, oldest first: a follow-up
   * ("When would it start?") takes its missing subject from them, and the articles they cited
   * are preferred when they answer. Absent or empty: the question stands alone.
   */
  readonly conversation?: readonly ConversationTurn[];
}
