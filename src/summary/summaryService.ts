/**
 * The summary service: an article id or a topic in, a cited summary out. Used as it is by the
 * command line and (next) by Discord; it knows nothing of either.
 */
import type { Article } from "../corpus/article.js";
import { buildIndex, type ParagraphIndex } from "../retrieval/paragraphIndex.js";
import { NO_THESAURUS, type Thesaurus } from "../retrieval/thesaurus.js";
import { SummaryError } from "./errors.js";
import { type SummarizeOptions, summarizeArticle, summarizeTopic } from "./summarize.js";
import { findTopicPassages, type TopicPassageOptions } from "./topicPassages.js";
import type { ArticleSummary, TopicSummary } from "./types.js";

/** Options of {@link SummaryService}. */
export interface SummaryServiceOptions {
  /**
   * An index already built over the same articles, in the same order (the answer service's);
   * otherwise one is built on the first topic summary.
   */
  readonly index?: ParagraphIndex;
  /** Related words for topic retrieval (the command line passes WordNet); none by default. */
  readonly thesaurus?: Thesaurus;
}

export class SummaryService {
  readonly articles: readonly Article[];
  readonly #positions: ReadonlyMap<string, number>;
  readonly #thesaurus: Thesaurus;
  #index: ParagraphIndex | undefined;

  /** @param articles - the corpus; ids must be unique ignoring case (the loader guarantees it) */
  constructor(articles: readonly Article[], options: SummaryServiceOptions = {}) {
    this.articles = articles;
    this.#positions = new Map(articles.map((a, i) => [a.id.toLowerCase(), i]));
    this.#thesaurus = options.thesaurus ?? NO_THESAURUS;
    this.#index = options.index;
  }

  /** The article with this id (ids are matched ignoring case), or undefined. */
  getArticle(id: string): Article | undefined {
    const position = this.#positions.get(id.trim().toLowerCase());
    return position === undefined ? undefined : this.articles[position];
  }

  /**
   * Summarizes one article.
   * @param id - the article id, in any letter case
   * @param options - `sentences` at most (default 3)
   * @throws SummaryError UNKNOWN_ARTICLE when no article has the id
   */
  summarizeArticle(id: string, options: SummarizeOptions = {}): ArticleSummary {
    const article = this.getArticle(id);
    if (!article) throw new SummaryError("UNKNOWN_ARTICLE", `no article has the id "${id}"`);
    return summarizeArticle(article, options);
  }

  /**
   * Summarizes what the articles say about a topic; no sentences when no paragraph matches.
   * @param topic - the user's text, e.g. "ceasefire monitoring"
   * @param options - `sentences` at most (default 3), and how passages are found
   * @throws SummaryError EMPTY_TOPIC when the topic has no words
   */
  summarizeTopic(
    topic: string,
    options: SummarizeOptions & Omit<TopicPassageOptions, "thesaurus"> = {},
  ): TopicSummary {
    if (!/[\p{L}\p{N}]/u.test(topic)) {
      throw new SummaryError("EMPTY_TOPIC", "the topic is empty: give it in words");
    }
    this.#index ??= buildIndex(this.articles);
    const passages = findTopicPassages(this.#index, topic, {
      max: options.max,
      minRelevance: options.minRelevance,
      thesaurus: this.#thesaurus,
    });
    return summarizeTopic(topic, passages, options);
  }
}
