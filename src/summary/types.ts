/** What the summaries return: plain data, for the command line and Discord alike. */
import type { KeyEntities } from "./entities.js";

export type { KeyEntities } from "./entities.js";

/** A sentence of an article summary. */
export interface SummarySentence {
  /** The sentence as written (runs of white space collapsed). */
  readonly text: string;
  /** 1-based paragraph of the article it comes from. */
  readonly paragraph: number;
}

/** The summary of one article: sentences in article order, and the names it is about. */
export interface ArticleSummary {
  readonly articleId: string;
  readonly title: string;
  readonly sentences: readonly SummarySentence[];
  readonly entities: KeyEntities;
}

/** A paragraph found for a topic, with what a citation needs. */
export interface Passage {
  readonly articleId: string;
  readonly title: string;
  /** 1-based paragraph of the article. */
  readonly paragraph: number;
  readonly text: string;
}

/** A sentence of a topic summary, cited to its article and paragraph. */
export interface TopicSentence extends SummarySentence {
  readonly articleId: string;
  readonly title: string;
}

/**
 * The summary of a topic across articles: sentences grouped by article (the article of the best
 * matching paragraph first), in article order within each. No sentences when nothing matched.
 */
export interface TopicSummary {
  readonly topic: string;
  readonly sentences: readonly TopicSentence[];
  readonly entities: KeyEntities;
}
