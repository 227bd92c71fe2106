/**
 * The summary service: an article id or a topic in, a cited summary out. Used as it is by the
 * command line and (next) by Discord; it knows nothing of either.
 */
import type { Article } from "../corpus/article.js";
import { Library, type Reader } from "../library/Library.js";
import { NO_THESAURUS, type Thesaurus } from "../retrieval/thesaurus.js";
import { SummaryError } from "./errors.js";
import { type SummarizeOptions, summarizeArticle, summarizeTopic } from "./summarize.js";
import { findTopicPassages, type TopicPassageOptions } from "./topicPassages.js";
import type { ArticleSummary, TopicSummary } from "./types.js";

/** Options of {@link SummaryService}. */
export interface SummaryServiceOptions {
  /** Related words for topic retrieval (the command line passes WordNet); none by default. */
  readonly thesaurus?: Thesaurus;
}

/** Which server asks for a summary (see `Library`'s scope rule); none: global articles only. */
export interface SummaryReader {
  readonly guildId?: Reader;
}

/** Reads the library as it is at each call, as the answer service does. */
export class SummaryService {
  /** The articles and their index (the answer service's, in the services). */
  readonly library: Library;
  readonly #thesaurus: Thesaurus;

  /**
   * @param library - the live library, or a fixed list of articles everyone sees (ids unique
   *   ignoring case, as the loader guarantees)
   */
  constructor(library: Library | readonly Article[], options: SummaryServiceOptions = {}) {
    this.library = library instanceof Library ? library : Library.of(library);
    this.#thesaurus = options.thesaurus ?? NO_THESAURUS;
  }

  /** The article with this id (ids are matched ignoring case) if `guildId` may see it. */
  getArticle(id: string, guildId?: Reader): Article | undefined {
    return this.library.get(id, guildId);
  }

  /**
   * Summarizes one article.
   * @param id - the article id, in any letter case
   * @param options - `sentences` at most (default 3), and the server asking
   * @throws SummaryError UNKNOWN_ARTICLE when no article the server may see has the id
   */
  summarizeArticle(id: string, options: SummarizeOptions & SummaryReader = {}): ArticleSummary {
    const article = this.getArticle(id, options.guildId);
    if (!article) throw new SummaryError("UNKNOWN_ARTICLE", `no article has the id "${id}"`);
    return summarizeArticle(article, options);
  }

  /**
   * Summarizes what the articles say about a topic; no sentences when no paragraph matches.
   * @param topic - the user's text, e.g. "ceasefire monitoring"
   * @param options - `sentences` at most (default 3), how passages are found, the server asking
   *   (passages come from the articles it may see only)
   * @throws SummaryError EMPTY_TOPIC when the topic has no words
   */
  summarizeTopic(
    topic: string,
    options: SummarizeOptions &
      Omit<TopicPassageOptions, "thesaurus" | "allowed"> &
      SummaryReader = {},
  ): TopicSummary {
    if (!/[\p{L}\p{N}]/u.test(topic)) {
      throw new SummaryError("EMPTY_TOPIC", "the topic is empty: give it in words");
    }
    const passages = findTopicPassages(this.library.index, topic, {
      max: options.max,
      minRelevance: options.minRelevance,
      thesaurus: this.#thesaurus,
      allowed: this.library.allowed(options.guildId),
    });
    return summarizeTopic(topic, passages, options);
  }
}
