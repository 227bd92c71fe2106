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
}
